// simulation.h: one run of a workload, on either harness.
//
//   workload -> GuestRuntime -> CheckedMmu -> {RTL MMU, ReferenceMmu}
//                                              RTL MMU walker -> memory
//
// run_cosim(): the RTL inside the SystemC MmuWrapper, memory a TLM-2.0 target;
//              elaborates SystemC, so call it at most once per process.
// run_plain(): the same RTL stepped from plain C++ (the speed baseline).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/device.h"
#include "testbench/harness/run_report.h"
#include "testbench/workloads/workload.h"

namespace vmsim {

struct SimConfig {
  std::shared_ptr<Workload> workload;  // what runs (required)
  std::string command = "run";         // how the report names itself: "vmsim run" or "vmsim trace"
  std::string pattern = "mixed";       // as reported (the basic workload's access pattern)
  uint64_t seed = 1;                   // as reported
  // The machine.
  PagingMode mode = PagingMode::kSv39;
  uint64_t mem_bytes = uint64_t{256} << 20;
  uint64_t mem_latency_cycles = 20;
  bool svadu = false;
  std::string trace_path;  // FST waveform (tracing build only)
  std::string device;      // a device library; empty: vmsim's own MMU
  DriverOptions driver;
  // Memory management.
  uint64_t swap_slots = 0;
  uint64_t swap_latency_cycles = 20'000;  // per page (about 20 us at 1 GHz: a fast SSD)
  std::string swap_file;                  // empty: a temporary file
  std::string policy{kDefaultPolicy};
  Watermarks watermarks{};
  ReclaimMode reclaim = ReclaimMode::kWatermark;
  uint64_t user_frames = 0;
  unsigned swappiness = 60;  // reclaim's balance of anonymous and file pages (0..200)
  bool thp = false;          // transparent huge pages (khugepaged)
  unsigned nodes = 1;        // NUMA nodes
  NumaPolicy numa_policy = NumaPolicy::kLocal;
};

// What a harness provides to the kernel, and a hook that sees the kernel
// before the workload starts (kernel) and after it ends (nullptr).
struct HarnessServices {
  KernelServices kernel;
  std::function<void(GuestRuntime*)> attach;
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
SimOutcome run_checked_workload(const SimConfig& cfg, PhysMemory& mem, CheckedMmu& checked,
                                const RtlMmuCore& core, HarnessServices services);

}  // namespace vmsim
