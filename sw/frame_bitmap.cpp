#include "sw/frame_bitmap.h"

#include <bit>

namespace vmsim {

FrameBitmap::FrameBitmap(uint64_t frames) : frames_(frames), words_((frames + 63) / 64, 0) {
  // Bits past the last frame are permanently "used" so the search never returns them.
  for (uint64_t f = frames; f < words_.size() * 64; ++f) set(f);
}

std::optional<Ppn> FrameBitmap::alloc() {
  if (used_ == frames_) return std::nullopt;
  const uint64_t n = words_.size();
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t w = (cursor_ + i) % n;
    if (words_[w] != ~uint64_t{0}) {
      const uint64_t f = w * 64 + std::countr_one(words_[w]);
      set(f);
      ++used_;
      cursor_ = w;
      return Ppn{f};
    }
  }
  return std::nullopt;
}

std::optional<Ppn> FrameBitmap::alloc_contiguous(uint64_t count, uint64_t align) {
  if (count == 0 || align == 0 || count > free_count()) return std::nullopt;
  for (uint64_t start = 0; start + count <= frames_; start += align) {
    uint64_t f = start;
    while (f < start + count && !in_use(Ppn{f})) ++f;
    if (f == start + count) {
      for (f = start; f < start + count; ++f) set(f);
      used_ += count;
      return Ppn{start};
    }
  }
  return std::nullopt;
}

bool FrameBitmap::reserve(Ppn ppn) {
  if (ppn.value() >= frames_ || in_use(ppn)) return false;
  set(ppn.value());
  ++used_;
  return true;
}

bool FrameBitmap::free(Ppn ppn) {
  if (ppn.value() >= frames_ || !in_use(ppn)) return false;
  clear(ppn.value());
  --used_;
  return true;
}

bool FrameBitmap::in_use(Ppn ppn) const {
  const uint64_t f = ppn.value();
  return (words_[f / 64] >> (f % 64)) & 1;
}

}  // namespace vmsim
