// fast_trace.h: `vmsim trace --fast`: the replay of the reference model
// alone (testbench/analysis/fast_replay.h), reported as a run is.
#pragma once

#include "testbench/app/command.h"
#include "testbench/workloads/trace_workload.h"

namespace vmsim {

// Replays `in` (premapped) on the model of the TLB hierarchy of o.sim's
// device (vmsim's own MMU, a --config, or a --device of vmsim's) and prints
// the report. The exit status.
int run_fast_trace(const MachineOptions& o, const TraceInput& in);

}  // namespace vmsim
