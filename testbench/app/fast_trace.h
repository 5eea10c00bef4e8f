// fast_trace.h: `vmsim trace --fast`: the replay of the reference model
// alone (testbench/analysis/fast_replay.h), reported as a run is.
#pragma once

#include <optional>

#include "testbench/app/command.h"
#include "testbench/formats/mmu_config.h"
#include "testbench/workloads/trace_workload.h"

namespace vmsim {

// Replays `in` (premapped) on the model of a TLB hierarchy and prints the
// report; the exit status. The hierarchy is `config`'s when given (a
// --config file, read as it is: nothing is Verilated, so a sweep of --fast
// jobs starts at once), else the one o.sim's device declares (vmsim's own
// MMU, or a --device of vmsim's).
int run_fast_trace(const MachineOptions& o, const TraceInput& in, const std::optional<MmuConfig>& config);

}  // namespace vmsim
