#include "sw/kernel/frame_allocator.h"

namespace vmsim {

std::optional<Ppn> FrameAllocator::alloc_user_frame(Process& requester) {
  const unsigned nodes = frames_.nodes();
  const unsigned want = requester.preferred_node(nodes);
  for (int round = 0; round < 1024; ++round) {
    // The preferred node first, then the others in turn (Linux's zonelist).
    for (unsigned i = 0; i < nodes; ++i) {
      const unsigned node = (want + i) % nodes;
      if (auto f = frames_.take_user_frame(node)) {
        if (frames_.below_low(node)) reclaim_.wake_kswapd(node);
        if (node != want && frames_.below_low(want)) reclaim_.wake_kswapd(want);
        ++stats_.nodes[node].allocations;
        stats_.nodes[node].fallbacks += node != want;
        return f;
      }
    }
    bool reclaimed = false;
    for (unsigned i = 0; i < nodes && !reclaimed; ++i)
      reclaimed = reclaim_.reclaim_one(true, (want + i) % nodes);
    if (reclaimed) continue;
    if (!oom_.kill(requester) || !requester.alive) return std::nullopt;
  }
  return std::nullopt;
}

void FrameAllocator::ensure_table_reserve() {
  for (int i = 0; i < 64 && frames_.phys().free_count() < FramePool::kTableReserve; ++i) {
    bool reclaimed = false;
    for (unsigned n = 0; n < frames_.nodes() && !reclaimed; ++n) reclaimed = reclaim_.reclaim_one(true, n);
    if (!reclaimed) break;
  }
}

}  // namespace vmsim
