// walk_caches.h: walks by depth (RtlMmuStats::walks_by_depth) and the
// page-walk caches' traffic (TlbCounts::pwc), as a report shows them.
//
// JSON keys: walks.depth<N> (walks that read N PTEs, N = 0..5) always;
// pwc.l<L>.{geometry, accesses, hits, misses, evictions, hit_rate} for each
// page-walk cache the device has (L = the level of the pointers it holds).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "model/device.h"
#include "testbench/check/tlb_model.h"

namespace vmsim {

void json_walk_depths(nlohmann::json& j, const RtlMmuStats& s);
// `counts` and `h` may be null (an organization the reference does not know).
void json_walk_caches(nlohmann::json& j, const TlbCounts* counts, const TlbHierarchy* h);
// "    by depth       1 PTE 120, 2 PTEs 31, 3 PTEs 4"
void text_walk_depths(std::ostream& os, const RtlMmuStats& s);
// One line per page-walk cache: "    PWC L2 (4 lru)      812 lookups, 640 hits (78.82%), 12 evictions"
void text_walk_caches(std::ostream& os, const TlbCounts* counts, const TlbHierarchy* h);

}  // namespace vmsim
