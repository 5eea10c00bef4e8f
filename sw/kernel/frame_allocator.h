// frame_allocator.h: a frame for a user page, whatever it takes.
//
//   take a free frame above the floor of the process's preferred node
//   (NUMA policy), else of another node ── yes ──► done (and wake the
//   kswapd of each node left below low)
//          │ no
//          ▼
//   direct reclaim on the preferred node (then the others): evict one page, try again
//          │ nothing evictable
//          ▼
//   the OOM killer ends a process, try again (fails if it was the requester)
//
// Page tables take their frames straight from the bitmap; before one may be
// needed, ensure_table_reserve() reclaims until a few frames are free.
#pragma once

#include <optional>

#include "sw/kernel/oom_killer.h"
#include "sw/kernel/reclaim.h"

namespace vmsim {

class FrameAllocator {
 public:
  FrameAllocator(FramePool& frames, Reclaimer& reclaim, OomKiller& oom, RuntimeStats& stats)
      : frames_(frames), reclaim_(reclaim), oom_(oom), stats_(stats) {}

  // nullopt when even the OOM killer could not help, or chose the requester.
  std::optional<Ppn> alloc_user_frame(Process& requester);
  // Gives back a frame alloc_user_frame() returned that no page took.
  void free_user_frame(Ppn frame) { frames_.release_user_frame(frame); }
  void ensure_table_reserve();

 private:
  FramePool& frames_;
  Reclaimer& reclaim_;
  OomKiller& oom_;
  RuntimeStats& stats_;  // allocations per node
};

}  // namespace vmsim
