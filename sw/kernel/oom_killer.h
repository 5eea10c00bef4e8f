// oom_killer.h: when memory and swap are both full, end the process whose
// death frees the most, as Linux's oom_badness() weighs it: pages resident,
// in swap and in page tables, adjusted by oom_score_adj (-1000 exempts a
// process, +1000 makes it first) in thousandths of all memory.
#pragma once

#include <string>
#include <vector>

#include "sw/kernel/process_table.h"

namespace vmsim {

struct OomKill {
  int pid;
  std::string name;
  uint64_t badness, rss, swap_entries, table_pages;
  int oom_score_adj;
};

class OomKiller {
 public:
  OomKiller(ProcessTable& procs, const PhysFrames& frames, const SwapSpace& swap, RuntimeStats& stats)
      : procs_(procs), frames_(frames), swap_(swap), stats_(stats) {}

  // Kills the worst process (perhaps the requester itself) and switches back
  // to the requester; false when no process may be killed.
  bool kill(Process& requester);
  const std::vector<OomKill>& log() const { return log_; }

 private:
  OomKill weigh(const Process& p) const;

  ProcessTable& procs_;
  const PhysFrames& frames_;
  const SwapSpace& swap_;
  RuntimeStats& stats_;
  std::vector<OomKill> log_;
};

}  // namespace vmsim
