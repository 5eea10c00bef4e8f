#include "sw/frame_bitmap.h"

namespace vmsim {

FrameBitmap::FrameBitmap(uint64_t frames) : frames_(frames), words_((frames + 63) / 64, 0) {}

bool FrameBitmap::mark_used(Ppn ppn) {
  if (ppn.value() >= frames_ || in_use(ppn)) return false;
  words_[ppn.value() / 64] |= uint64_t{1} << (ppn.value() % 64);
  ++used_;
  return true;
}

bool FrameBitmap::mark_free(Ppn ppn) {
  if (ppn.value() >= frames_ || !in_use(ppn)) return false;
  words_[ppn.value() / 64] &= ~(uint64_t{1} << (ppn.value() % 64));
  --used_;
  return true;
}

bool FrameBitmap::in_use(Ppn ppn) const {
  const uint64_t f = ppn.value();
  return f < frames_ && (words_[f / 64] >> (f % 64)) & 1;
}

}  // namespace vmsim
