// buddy_allocator.h: free physical frames as power-of-two blocks, the buddy
// system of Knuth (TAOCP 2.5) that Linux's page allocator uses.
//
// A free block of order k is 2^k frames starting at a multiple of 2^k. Its
// buddy is the block of the same order at (start XOR 2^k): the two halves of
// one block of order k+1. The allocator keeps one free list per order:
//   - alloc(k) takes a block from the list of the smallest order j >= k that
//     has one, and splits it j-k times; each split puts the upper half back
//     on the list one order down;
//   - free(start, k) merges the block with its buddy for as long as the buddy
//     is a free block of the same order, then puts the result on its list.
// So no two free buddies of one order ever lie side by side, and a 2 MiB
// superpage is a single order-9 block when memory allows it.
//
// Mobility (Linux's migratetypes, two of them): memory is cut into
// pageblocks of 2^9 frames, each movable (user pages, which compaction can
// move) or unmovable (page tables). A free block smaller than a pageblock is
// on the lists of its pageblock's kind; a whole free pageblock or more is on
// the movable lists, and its pageblocks belong to no one until used. An
// unmovable request takes from the unmovable lists, else claims the smallest
// free block of a whole pageblock or more (its first pageblock turns
// unmovable), else mixes in wherever a frame is free; a movable request takes
// from the movable lists, else from the unmovable ones. So page tables gather
// in a few pageblocks and compaction finds the rest movable.
//
// Contract: the allocator knows only its free blocks. Which frames are in
// use is recorded by the FrameBitmap beside it (PhysFrames); check() says
// where the free lists and that record disagree, and the audit runs it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sw/frame_bitmap.h"
#include "sw/types.h"

namespace vmsim {

enum class Mobility : uint8_t { kMovable, kUnmovable };

class BuddyAllocator {
 public:
  static constexpr unsigned kPageblockOrder = 9;  // 2 MiB: one Sv39 superpage
  // Sv57's largest leaf (256 TiB) is order 36; no memory vmsim simulates
  // holds a block that large, so this bound is never the one that binds.
  static constexpr unsigned kLargestOrder = 36;

  // Every frame in [base, base + frames) starts free, in the largest aligned
  // blocks that fit. The top order is the largest block the range can hold
  // that `base` is aligned to (a NUMA node's frames, phys_frames.h); `base`
  // must start a pageblock. Frame numbers in and out are absolute.
  explicit BuddyAllocator(uint64_t frames, uint64_t base = 0);

  // A block of 2^order frames aligned to 2^order, or nothing when no free
  // block is that large.
  std::optional<Ppn> alloc(unsigned order, Mobility kind = Mobility::kMovable);
  // Gives back a block alloc(order) returned (or one frame take() took, at
  // order 0). The caller vouches that it is allocated: the bitmap knows.
  void free(Ppn start, unsigned order);
  // Takes one given frame out of the free blocks (frames reserved before
  // boot), splitting the block that holds it. False when it is not free.
  bool take(Ppn frame);

  unsigned max_order() const { return max_order_; }
  uint64_t free_blocks(unsigned order) const {
    return order <= max_order_ ? count_[0][order] + count_[1][order] : 0;
  }
  uint64_t free_blocks(unsigned order, Mobility kind) const {
    return order <= max_order_ ? count_[unsigned(kind)][order] : 0;
  }
  Mobility pageblock_kind(Ppn frame) const { return kind_[(frame.value() - base_) >> kPageblockOrder]; }
  uint64_t base() const { return base_; }
  uint64_t frames() const { return frames_; }
  uint64_t free_frames() const { return free_frames_; }
  // The largest order with a free block, or -1 when memory is full.
  int largest_free_order() const;

  // Where the free lists disagree with `used` (a frame is free in exactly one
  // block iff the bitmap says it is free), or break the buddy rules (a block
  // unaligned, past the end, on the wrong list, or beside its free buddy).
  // At most `limit` problems, each one line.
  std::vector<std::string> check(const FrameBitmap& used, size_t limit = 8) const;

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr int8_t kNotFree = -1;

  // Which lists a free block is on: its pageblock's kind below a pageblock,
  // movable from a whole pageblock up.
  Mobility list_of(uint64_t start, unsigned order) const {
    return order >= kPageblockOrder ? Mobility::kMovable : kind_[start >> kPageblockOrder];
  }
  // The first block of the smallest order from `from` up on `list`, taken
  // off it: its start and order.
  std::optional<std::pair<uint64_t, unsigned>> take_smallest(unsigned from, Mobility list);
  void split(uint64_t start, unsigned from, unsigned to);
  void push(uint64_t start, unsigned order);
  void unlink(uint64_t start);
  bool free_block_at(uint64_t start, unsigned order) const {
    return start < frames_ && order_[start] == static_cast<int8_t>(order);
  }
  void check_lists(std::vector<std::string>& out, size_t limit) const;

  uint64_t base_;  // the first frame: every index below is relative to it
  uint64_t frames_;
  unsigned max_order_;
  uint64_t free_frames_ = 0;
  std::array<std::vector<uint32_t>, 2> head_;   // by mobility, then order: the first block on the list
  std::array<std::vector<uint64_t>, 2> count_;  // by mobility, then order: blocks on the list
  std::vector<Mobility> kind_;                  // by pageblock
  std::vector<uint32_t> next_;                  // by frame, for a block's first frame: the list links
  std::vector<uint32_t> prev_;
  std::vector<int8_t> order_;  // by frame: the order of the free block starting here, or kNotFree
};

}  // namespace vmsim
