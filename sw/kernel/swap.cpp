#include "sw/kernel/swap.h"

#include <vector>

namespace vmsim {

bool Swapper::needs_write(const Page& page) const {
  return page.dirty || (page.slot && !page.swap_valid) || rmap_.mapped_dirty(page);
}

bool Swapper::is_clean(const Page& page) const {
  return !needs_write(page);
}

bool Swapper::swap_out(Page& page) {
  if (page.obj->file) return cache_.evict(page);
  bool dirty = needs_write(page);
  std::optional<uint64_t> new_slot;
  if (dirty && !page.slot) {
    new_slot = swap_.alloc();
    if (!new_slot) return false;  // nowhere to put it: stays resident
  }
  policy_.remove(page);
  dirty = rmap_.unmap_all(page) || dirty;

  uint64_t latency = 0;
  if (!dirty) {
    ++(page.slot ? stats_.swap_clean_drops : stats_.zero_drops);
  } else {
    if (new_slot) page.slot = new_slot;
    if (!write_out(page, latency)) return false;
  }
  page.dirty = false;
  resident_.release_frame(page);
  page.state = page.slot ? PageState::kSwapped : PageState::kEmpty;
  time_.add_io(latency);
  return true;
}

// Writes the frame to the page's slot. On failure the page stays resident
// and dirty (its mappings come back on the next touch).
bool Swapper::write_out(Page& page, uint64_t& latency) {
  std::vector<uint8_t> buf(kPageSize);
  mem_.read(base_of(page.frame), buf.data(), kPageSize);
  if (!swap_.write(*page.slot, buf.data(), latency)) {
    ++stats_.swap_write_errors;
    resident_.make_resident(page, page.frame);
    page.dirty = true;
    return false;
  }
  ++stats_.swap_outs;
  stats_.swap_cycles += latency;
  page.swap_valid = true;
  return true;
}

SwapSpace::ReadResult Swapper::swap_in(Page& page, Ppn frame) {
  std::vector<uint8_t> buf(kPageSize);
  uint64_t latency = 0;
  const SwapSpace::ReadResult rr = swap_.read(*page.slot, buf.data(), latency);
  stats_.swap_cycles += latency;
  if (rr != SwapSpace::ReadResult::kOk) {
    if (rr == SwapSpace::ReadResult::kCorrupt) ++stats_.swap_corrupt;
    return rr;  // the data is lost: never hand it to the guest
  }
  mem_.write(base_of(frame), buf.data(), kPageSize);
  ++stats_.swap_ins;
  resident_.make_resident(page, frame);
  page.swap_valid = true;  // the slot still holds the same bytes: the swap cache
  time_.add_io(latency);
  return rr;
}

void Swapper::corrupt_slot_for_test(uint64_t slot, SwapBackend& device) {
  std::vector<uint8_t> buf(kPageSize);
  uint64_t latency = 0;
  if (swap_.read(slot, buf.data(), latency) == SwapSpace::ReadResult::kIoError) return;
  buf[123] ^= 0x5a;
  device.write_page(slot, buf.data(), latency);
}

}  // namespace vmsim
