// malloc_workload.h: the allocator running in a guest process.
//
// run_malloc_trace_workload replays a malloc-lab trace (vmsim malloc FILE).
// run_malloc_workload is `vmsim run --workload malloc`: an allocation-heavy
// program with a mixed size distribution, realloc chains, calloc, aligned
// allocations and blocks above the mmap threshold, so the heap grows by brk,
// maps large blocks, trims, and faults pages in through the MMU.
// Both report through one JSON object (figures the text report prints too).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "sw/kernel/guest_runtime.h"
#include "testbench/malloc_trace.h"

namespace vmsim {

struct MallocWorkloadResult {
  nlohmann::json figures;  // utilization, peak_payload, ... and allocator counters
  uint64_t integrity_errors = 0;
  std::string first_error;
};

MallocWorkloadResult run_malloc_trace_workload(GuestRuntime& rt, const MallocTrace& trace);
MallocWorkloadResult run_malloc_workload(GuestRuntime& rt, uint64_t ops, uint64_t seed);
// A random trace with the built-in workload's size mix (also used by tests).
MallocTrace make_malloc_workload_trace(uint64_t ops, uint64_t seed);

// Allocator figures as JSON (shared by every mode of `vmsim malloc`).
template <typename Alloc>
nlohmann::json allocator_figures(Alloc& a);

}  // namespace vmsim
