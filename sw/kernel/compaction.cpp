#include "sw/kernel/compaction.h"

#include <vector>

#include "sw/page.h"

namespace vmsim {

// The aligned range of 2^order frames with the fewest used frames, all
// movable, when the frames free outside it can take them.
std::optional<uint64_t> Compactor::choose_range(unsigned order) const {
  const PhysFrames& phys = frames_.phys();
  const uint64_t size = uint64_t{1} << order;
  std::optional<uint64_t> best;
  uint64_t best_used = 0;
  for (uint64_t start = 0; start + size <= phys.total(); start += size) {
    uint64_t used = 0;
    bool movable = true;
    for (uint64_t f = start; f < start + size && movable; ++f) {
      if (!phys.in_use(Ppn{f})) continue;
      movable = frames_.owner(Ppn{f}) != nullptr;
      ++used;
    }
    if (!movable) continue;
    const uint64_t free_outside = phys.free_count() - (size - used);
    if (used <= free_outside && (!best || used < best_used)) {
      best = start;
      best_used = used;
    }
  }
  return best;
}

void Compactor::migrate(Page& page, Ppn to) {
  const Ppn from = page.frame;
  mem_.copy_page(to, from);
  time_.charge(copy_cycles_);
  page.frame = to;
  frames_.set_owner(to, &page);
  frames_.set_owner(from, nullptr);
  rmap_.retarget(page, to);
  ++stats_.pages_migrated;
}

bool Compactor::compact(unsigned order) {
  KernelTime::Section section(time_);
  PhysFrames& phys = frames_.phys();
  if (phys.buddy().largest_free_order() >= static_cast<int>(order)) return true;
  const std::optional<uint64_t> start = choose_range(order);
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
    const std::optional<Ppn> to = phys.alloc();  // outside: every frame in the range is used until the end
    migrate(*page, *to);
    held.push_back(Ppn{f});
  }
  for (Ppn f : held) phys.free(f);  // the last one merges the range into one block
  return phys.buddy().largest_free_order() >= static_cast<int>(order);
}

}  // namespace vmsim
