// phys_frames.h: physical memory's frames, as the kernel allocates them.
//
// Two structures, kept in step by every call here:
//   - a BuddyAllocator (buddy_allocator.h) chooses: one frame, or an aligned
//     power-of-two block of them (a superpage's frames);
//   - a FrameBitmap (frame_bitmap.h) records: one bit per frame in use.
// The bitmap is the record of truth; check() compares the buddy allocator's
// free lists with it, and the end-of-run audit reports any difference.
//
// Frames of a block may be freed one at a time: the buddy allocator merges
// each with its free buddy, so the block reforms when its last frame returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sw/buddy_allocator.h"
#include "sw/frame_bitmap.h"
#include "sw/types.h"

namespace vmsim {

class PhysFrames {
 public:
  explicit PhysFrames(uint64_t frames) : bits_(frames), buddy_(frames) {}

  std::optional<Ppn> alloc() { return alloc_block(0); }
  // One frame for what can never move (page tables): from the unmovable
  // pageblocks (buddy_allocator.h), so they gather where compaction does not
  // need to go.
  std::optional<Ppn> alloc_unmovable() { return alloc_block(0, Mobility::kUnmovable); }
  // 2^order frames starting at a multiple of 2^order.
  std::optional<Ppn> alloc_block(unsigned order, Mobility kind = Mobility::kMovable);
  // Marks a given free frame used (e.g. frames firmware holds). False if it was.
  bool reserve(Ppn ppn);
  // Frees one frame in use; false (and no change) for a free or unknown frame.
  bool free(Ppn ppn);

  bool in_use(Ppn ppn) const { return bits_.in_use(ppn); }
  uint64_t total() const { return bits_.total(); }
  uint64_t used() const { return bits_.used(); }
  uint64_t free_count() const { return bits_.free_count(); }

  const FrameBitmap& bitmap() const { return bits_; }
  const BuddyAllocator& buddy() const { return buddy_; }
  // Where the buddy allocator's free lists and the bitmap disagree.
  std::vector<std::string> check(size_t limit = 8) const { return buddy_.check(bits_, limit); }

 private:
  FrameBitmap bits_;
  BuddyAllocator buddy_;
};

}  // namespace vmsim
