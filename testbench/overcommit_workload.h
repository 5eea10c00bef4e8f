// overcommit_workload.h: `vmsim run --workload overcommit`.
//
// Several processes whose working sets add up to at least four times the
// physical memory, scheduled round robin in time slices. Each touches its
// private pages with locality (a hot quarter takes most accesses), writes
// and reads back through a host-side shadow copy, and shares a small region
// with the others (soft faults). Memory runs out: kswapd and direct reclaim
// swap pages out, faults swap them back in, and when swap fills too the OOM
// killer ends a process (one is exempt with oom_score_adj -1000, one is
// preferred with +500). At the end every surviving process reads back one
// word of every page it wrote, through swap if need be.
#pragma once

#include <cstdint>
#include <string>

#include "sw/kernel/guest_runtime.h"

namespace vmsim {

struct OvercommitConfig {
  uint64_t accesses = 200'000;
  unsigned processes = 4;
  uint64_t pages_per_process = 0;  // 0: 4 x memory / processes, rounded up
  uint64_t seed = 1;
  uint64_t slice = 2'000;  // accesses per time slice
};

struct OvercommitResult {
  uint64_t loads = 0, stores = 0, shared_accesses = 0, verified_pages = 0;
  uint64_t data_mismatches = 0;
  uint64_t unexpected_faults = 0;  // faults other than a process being killed
  uint64_t working_set_pages = 0;
  std::string first_error;
  std::string setup_error;
};

OvercommitResult run_overcommit_workload(GuestRuntime& rt, const OvercommitConfig& cfg);

}  // namespace vmsim
