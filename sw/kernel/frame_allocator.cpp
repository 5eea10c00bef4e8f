#include "sw/kernel/frame_allocator.h"

namespace vmsim {

std::optional<Ppn> FrameAllocator::alloc_user_frame(Process& requester) {
  for (int round = 0; round < 1024; ++round) {
    if (auto f = frames_.take_user_frame()) {
      if (frames_.below_low()) reclaim_.wake_kswapd();
      return f;
    }
    if (reclaim_.reclaim_one(true)) continue;
    if (!oom_.kill(requester) || !requester.alive) return std::nullopt;
  }
  return std::nullopt;
}

void FrameAllocator::ensure_table_reserve() {
  for (int i = 0; i < 64 && frames_.phys().free_count() < FramePool::kTableReserve; ++i) {
    if (!reclaim_.reclaim_one(true)) break;
  }
}

}  // namespace vmsim
