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

#include "testbench/workloads/workload.h"

namespace vmsim {

class OvercommitWorkload final : public Workload {
 public:
  static constexpr uint64_t kDefaultAccesses = 200'000;
  explicit OvercommitWorkload(const WorkloadOptions& o);
  std::string name() const override { return "overcommit"; }
  WorkloadResult run(GuestRuntime& rt) override;

 private:
  WorkloadOptions options_;
};

}  // namespace vmsim
