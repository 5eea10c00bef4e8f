// audit.h: the end-of-run check that the kernel's records agree.
//
//   frame bitmap  == page-table frames + resident pages + huge-page frames
//   buddy free lists == the frames the bitmap says are free, each in one
//                       aligned block, no two free buddies left unmerged
//   every resident page: its frame marked used and owned by it, every
//                        mapping's PTE valid and pointing at it, and the
//                        replacement policy holding it exactly once
//   every page not resident: no valid PTE maps it, no policy holds it
//   swap slot bitmap == the slots pages refer to, each used once
//   every file page: never in swap; cached and clean, equal to its file
//   a PTE with W: only in a region whose own object holds the page, and
//     that object not frozen by a fork (a store must not skip a copy)
#pragma once

#include <set>
#include <string>
#include <vector>

#include "sw/kernel/frame_pool.h"
#include "sw/kernel/page_cache.h"
#include "sw/kernel/process_table.h"

namespace vmsim {

struct AuditReport {
  std::vector<std::string> problems;  // the first 32
  bool clean() const { return problems.empty(); }
};

class Auditor {
 public:
  Auditor(const ProcessTable& procs, const FramePool& frames, const SwapSpace& swap,
          const ReplacementPolicy& policy, PageCache& cache)
      : procs_(procs), frames_(frames), swap_(swap), policy_(policy), cache_(cache) {}
  AuditReport run();

 private:
  void problem(std::string s);
  uint64_t check_table_frames();
  // Returns the resident pages; records the swap slots pages refer to.
  uint64_t check_pages(std::set<uint64_t>& slots);
  void check_page(const Page& page, const std::string& what, std::set<uint64_t>& slots, uint64_t& resident);
  void check_mapping(const Page& page, const PageMapping& m, const std::string& what);
  void check_no_stale_mappings();
  void check_totals(uint64_t table_frames, uint64_t resident, const std::set<uint64_t>& slots);
  std::vector<MemoryObject*> live_objects() const;

  const ProcessTable& procs_;
  const FramePool& frames_;
  const SwapSpace& swap_;
  const ReplacementPolicy& policy_;
  PageCache& cache_;
  AuditReport rep_;
};

}  // namespace vmsim
