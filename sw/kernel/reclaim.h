// reclaim.h: getting frames back, by choosing victims.
//
//   FrameAllocator ── no frame above min ──► reclaim_one(direct) ── policy.victim() ── Swapper::swap_out()
//                                                 │ anonymous or file list: swappiness (anon_file_lists.h)
//                                                 │ the victim needs a slot and swap is full
//                                                 └─ any clean page instead (find_clean_victim)
//
// kswapd (background()) runs the same reclaim_one() until free frames reach
// the high watermark. It is woken when an allocation leaves free frames below
// low: in co-simulation a thread of its own (KernelServices::kswapd); without
// one, the access path runs it after the access that crossed the watermark.
// With NUMA nodes all of this is per node: a node's reclaim takes that node's
// pages, until that node's free frames reach its own watermark.
#pragma once

#include <vector>

#include "sw/kernel/frame_pool.h"
#include "sw/kernel/kernel_time.h"
#include "sw/kernel/node_lists.h"
#include "sw/kernel/swap.h"

namespace vmsim {

class Reclaimer {
 public:
  Reclaimer(NodeLists& policy, AccessedBits& bits, Swapper& swapper, FramePool& frames, RuntimeStats& stats,
            KernelTime& time, BackgroundReclaimer* kswapd)
      : policy_(policy),
        bits_(bits),
        swapper_(swapper),
        frames_(frames),
        stats_(stats),
        time_(time),
        kswapd_(kswapd),
        pending_(frames.nodes(), false),
        in_background_(frames.nodes(), false) {}

  // Frees one frame of `node` (its pages only); false when nothing there
  // can be evicted. `direct`: on behalf of an allocation (counted as
  // reclaim.direct_pages), else kswapd's.
  bool reclaim_one(bool direct, unsigned node = 0);
  // Node `node`'s kswapd's work: reclaim there until its free frames reach
  // its high watermark.
  void background(unsigned node = 0);
  // The node's free frames fell below its low watermark: wake its kswapd
  // (or run it after this access).
  void wake_kswapd(unsigned node = 0);
  // Without a kswapd thread: run background reclaim where it was asked for.
  void run_pending();
  // A guest access completed: the policy's aging timer (aging_period()),
  // which runs only once user pages fill half the frames they may take
  // (FramePool::half_full): with memory to spare nothing is aged, so no A-bit
  // look's fence touches the TLB of a run that never reclaims.
  void note_access();

 private:
  Page* find_clean_victim(unsigned node);

  NodeLists& policy_;
  AccessedBits& bits_;
  Swapper& swapper_;
  FramePool& frames_;
  RuntimeStats& stats_;
  KernelTime& time_;
  BackgroundReclaimer* kswapd_;
  std::vector<bool> pending_;        // by node: background reclaim asked for, no thread to run it
  std::vector<bool> in_background_;  // by node: background() is running
  uint64_t since_aging_ = 0;         // accesses since the policy last aged
};

}  // namespace vmsim
