// simulation.h: one `vmsim run`, on either harness.
//
//   workload -> GuestRuntime -> CheckedMmu -> {RTL MMU, ReferenceMmu}
//                                              RTL MMU walker -> memory
//
// run_cosim(): the RTL inside the SystemC MmuWrapper, memory a TLM-2.0 target;
//              elaborates SystemC, so call it at most once per process.
// run_plain(): the same RTL stepped from plain C++ (the speed baseline).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/paging.h"
#include "testbench/run_report.h"

namespace vmsim {

struct SimConfig {
  WorkloadConfig workload;
  PagingMode mode = PagingMode::kSv39;
  uint64_t mem_bytes = uint64_t{256} << 20;
  uint64_t mem_latency_cycles = 20;
  bool svadu = false;
  std::string trace_path;  // FST waveform (tracing build only)
};

struct SimOutcome {
  RunReport report;
  std::string first_mismatch;
  std::vector<InvalidAccess> invalid_log;
  std::string error;  // the run could not be set up
};

SimOutcome run_plain(const SimConfig& cfg);
SimOutcome run_cosim(const SimConfig& cfg);

// Shared by both harnesses: builds the runtime over `mem` and `dut`, runs the
// workload with the checker in between, and fills the outcome.
SimOutcome run_checked_workload(const SimConfig& cfg, PhysMemory& mem, MmuPort& dut,
                                const RtlMmuCore& core);

}  // namespace vmsim
