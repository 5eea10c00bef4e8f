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
#pragma once

#include "sw/kernel/anon_file_lists.h"
#include "sw/kernel/frame_pool.h"
#include "sw/kernel/kernel_time.h"
#include "sw/kernel/swap.h"

namespace vmsim {

class Reclaimer {
 public:
  Reclaimer(AnonFileLists& policy, AccessedBits& bits, Swapper& swapper, FramePool& frames,
            RuntimeStats& stats, KernelTime& time, BackgroundReclaimer* kswapd)
      : policy_(policy),
        bits_(bits),
        swapper_(swapper),
        frames_(frames),
        stats_(stats),
        time_(time),
        kswapd_(kswapd) {}

  // Frees one frame; false when nothing can be evicted. `direct`: on behalf
  // of an allocation (counted as reclaim.direct_pages), else kswapd's.
  bool reclaim_one(bool direct);
  // kswapd's work: reclaim until free frames reach the high watermark.
  void background();
  // Free frames fell below low: wake kswapd (or run it after this access).
  void wake_kswapd();
  // Without a kswapd thread: run background reclaim if it was asked for.
  void run_pending();
  // A guest access completed: the policy's aging timer (aging_period()),
  // which runs only once user pages fill half the frames they may take
  // (FramePool::half_full): with memory to spare nothing is aged, so no A-bit
  // look's fence touches the TLB of a run that never reclaims.
  void note_access();

 private:
  Page* find_clean_victim();

  AnonFileLists& policy_;
  AccessedBits& bits_;
  Swapper& swapper_;
  FramePool& frames_;
  RuntimeStats& stats_;
  KernelTime& time_;
  BackgroundReclaimer* kswapd_;
  bool pending_ = false;        // background reclaim asked for, no thread to run it
  bool in_background_ = false;  // background() is running
  uint64_t since_aging_ = 0;    // accesses since the policy last aged
};

}  // namespace vmsim
