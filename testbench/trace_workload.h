// trace_workload.h: replays a lackey reference string through the whole
// stack, as `vmsim trace` does.
//
// One process whose address space is a single lazily backed region covering
// the user half, so every address of the trace is valid. Each reference is a
// 1-byte guest load, store or fetch (fetches at the 4-byte aligned address)
// translated by the RTL, with page faults handled by the runtime. Stores
// write a fresh value that a host-side shadow keeps; loads are checked
// against it, so swapping out and back in must preserve every byte.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sw/kernel/guest_runtime.h"
#include "testbench/lackey_trace.h"

namespace vmsim {

struct TraceResult {
  uint64_t references = 0, loads = 0, stores = 0, fetches = 0, distinct_pages = 0;
  uint64_t data_mismatches = 0, unexpected_faults = 0;
  std::string first_error;
  std::string setup_error;
};

TraceResult run_trace_workload(GuestRuntime& rt, const LackeyTrace& trace);

}  // namespace vmsim
