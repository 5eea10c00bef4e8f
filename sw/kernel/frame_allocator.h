// frame_allocator.h: a frame for a user page, whatever it takes.
//
//   take a free frame above the floor ── yes ──► done (and wake kswapd below low)
//          │ no
//          ▼
//   direct reclaim: evict one page, try again
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
  FrameAllocator(FramePool& frames, Reclaimer& reclaim, OomKiller& oom)
      : frames_(frames), reclaim_(reclaim), oom_(oom) {}

  // nullopt when even the OOM killer could not help, or chose the requester.
  std::optional<Ppn> alloc_user_frame(Process& requester);
  // Gives back a frame alloc_user_frame() returned that no page took.
  void free_user_frame(Ppn frame) { frames_.release_user_frame(frame); }
  void ensure_table_reserve();

 private:
  FramePool& frames_;
  Reclaimer& reclaim_;
  OomKiller& oom_;
};

}  // namespace vmsim
