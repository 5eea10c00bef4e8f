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
//
// NUMA: frames may be split into nodes, each a contiguous range with a buddy
// allocator of its own; the bitmap covers them all.
#pragma once

#include <algorithm>
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
  // `nodes` NUMA nodes (1 .. kMaxNodes): frames cut into that many ranges of
  // whole 2 MiB pageblocks, equal but for the last, which takes what is left
  // over. Each node has a buddy allocator of its own, as each Linux zone has
  // its free lists. Throws std::invalid_argument when a node would hold less
  // than one pageblock.
  static constexpr unsigned kMaxNodes = 8;
  explicit PhysFrames(uint64_t frames, unsigned nodes = 1);

  // A frame, or a block, from `node`; with no node, from the first node
  // that has one (page tables, fixed regions: anywhere will do).
  std::optional<Ppn> alloc(std::optional<unsigned> node = {}) {
    return alloc_block(0, Mobility::kMovable, node);
  }
  // One frame for what can never move (page tables): from the unmovable
  // pageblocks (buddy_allocator.h), so they gather where compaction does not
  // need to go.
  std::optional<Ppn> alloc_unmovable() { return alloc_block(0, Mobility::kUnmovable); }
  // 2^order frames starting at a multiple of 2^order.
  std::optional<Ppn> alloc_block(unsigned order, Mobility kind = Mobility::kMovable,
                                 std::optional<unsigned> node = {});
  // Marks a given free frame used (e.g. frames firmware holds). False if it was.
  bool reserve(Ppn ppn);
  // Frees one frame in use; false (and no change) for a free or unknown frame.
  bool free(Ppn ppn);

  bool in_use(Ppn ppn) const { return bits_.in_use(ppn); }
  uint64_t total() const { return bits_.total(); }
  uint64_t used() const { return bits_.used(); }
  uint64_t free_count() const { return bits_.free_count(); }

  unsigned nodes() const { return unsigned(nodes_.size()); }
  unsigned node_of(Ppn ppn) const {
    return unsigned(std::min<uint64_t>(ppn.value() / node_size_, nodes_.size() - 1));
  }
  uint64_t free_count(unsigned node) const { return nodes_[node].free_frames(); }
  const BuddyAllocator& buddy(unsigned node = 0) const { return nodes_[node]; }

  const FrameBitmap& bitmap() const { return bits_; }
  // Where a node's free lists and the bitmap disagree.
  std::vector<std::string> check(size_t limit = 8) const;

 private:
  FrameBitmap bits_;
  uint64_t node_size_;                 // frames in each node but the last
  std::vector<BuddyAllocator> nodes_;  // by node
};

}  // namespace vmsim
