// frame_bitmap.h: physical frame allocator, one bit per 4 KiB frame.
//
// A set bit is a frame in use. alloc() searches a 64-bit word at a time from a
// rotating cursor (next-fit), so consecutive allocations are O(1) amortised
// and the search skips full words with one compare. Contiguous aligned runs
// (for superpages) are found with a linear scan; they are rare.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sw/types.h"

namespace vmsim {

class FrameBitmap {
 public:
  explicit FrameBitmap(uint64_t frames);

  std::optional<Ppn> alloc();
  // `count` frames starting at a multiple of `align` (both in frames).
  std::optional<Ppn> alloc_contiguous(uint64_t count, uint64_t align);
  // Marks a frame used (e.g. frames reserved for firmware). False if it was.
  bool reserve(Ppn ppn);
  // Frees a frame in use; false (and no change) for a free or unknown frame.
  bool free(Ppn ppn);

  bool in_use(Ppn ppn) const;
  uint64_t total() const { return frames_; }
  uint64_t used() const { return used_; }
  uint64_t free_count() const { return frames_ - used_; }

 private:
  void set(uint64_t f) { words_[f / 64] |= uint64_t{1} << (f % 64); }
  void clear(uint64_t f) { words_[f / 64] &= ~(uint64_t{1} << (f % 64)); }

  uint64_t frames_;
  uint64_t used_ = 0;
  uint64_t cursor_ = 0;  // word index where the next search starts
  std::vector<uint64_t> words_;
};

}  // namespace vmsim
