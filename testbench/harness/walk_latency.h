// walk_latency.h: the walk-latency histogram a device keeps
// (RtlMmuStats::walk_latency), read as a report shows it: percentiles, the
// most common latencies, and the histogram itself for the JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "model/device.h"

namespace vmsim {

// The smallest latency at or below which a fraction `p` (0..1] of the walks
// fall; 0 when there were no walks.
uint64_t walk_latency_percentile(const RtlMmuStats& s, double p);
// The largest latency seen (the last bucket stands for "that many or more").
uint64_t walk_latency_max(const RtlMmuStats& s);
// {"90": 6621, "112": 14, ...}: every latency seen, in cycles, with its count.
nlohmann::json walk_latency_histogram(const RtlMmuStats& s);
// "p50 90, p90 90, p99 112, max 1004 cycles; most often 90 (6,621), 112 (14)"
std::string walk_latency_summary(const RtlMmuStats& s);

}  // namespace vmsim
