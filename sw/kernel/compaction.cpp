#include "sw/kernel/compaction.h"

#include <vector>

#include "sw/page.h"

namespace vmsim {

// The aligned range of 2^order frames in `node` with the fewest used
// frames, all movable, when the frames free outside it in the node can take
// them.
std::optional<uint64_t> Compactor::choose_range(unsigned order, unsigned node) const {
  const PhysFrames& phys = frames_.phys();
  const BuddyAllocator& b = phys.buddy(node);
  const uint64_t size = uint64_t{1} << order;
  std::optional<uint64_t> best;
  uint64_t best_used = 0;
  for (uint64_t start = b.base(); start + size <= b.base() + b.frames(); start += size) {
    uint64_t used = 0;
    bool movable = true;
    for (uint64_t f = start; f < start + size && movable; ++f) {
      if (!phys.in_use(Ppn{f})) continue;
      movable = frames_.owner(Ppn{f}) != nullptr;
      ++used;
    }
    if (!movable) continue;
    const uint64_t free_outside = phys.free_count(node) - (size - used);
    if (used <= free_outside && (!best || used < best_used)) {
      best = start;
      best_used = used;
    }
  }
  return best;
}

void Compactor::migrate(Page& page, Ppn to) {
  mem_.copy_page(to, page.frame);
  time_.charge(copy_cycles_);
  resident_.move_frame(page, to);
  rmap_.retarget(page, to);
  ++stats_.pages_migrated;
}

bool Compactor::compact(unsigned order) {
  for (unsigned node = 0; node < frames_.nodes(); ++node) {
    if (compact(order, node)) return true;
  }
  return false;
}

bool Compactor::compact(unsigned order, unsigned node) {
  KernelTime::Section section(time_);
  PhysFrames& phys = frames_.phys();
  if (phys.buddy(node).largest_free_order() >= static_cast<int>(order)) return true;
  const std::optional<uint64_t> start = choose_range(order, node);
  if (!start) return false;
  ++stats_.compactions;
  const uint64_t end = *start + (uint64_t{1} << order);
  std::vector<Ppn> held;  // the range's frames: free ones held back, then those pages leave
  for (uint64_t f = *start; f < end; ++f) {
    if (phys.reserve(Ppn{f})) held.push_back(Ppn{f});
  }
  for (uint64_t f = *start; f < end; ++f) {
    Page* page = frames_.owner(Ppn{f});
    if (!page) continue;
    const std::optional<Ppn> to =
        phys.alloc(node);  // outside: every frame in the range is used until the end
    migrate(*page, *to);
    held.push_back(Ppn{f});
  }
  for (Ppn f : held) phys.free(f);  // the last one merges the range into one block
  return phys.buddy(node).largest_free_order() >= static_cast<int>(order);
}

}  // namespace vmsim
