#include "sw/kernel/frame_pool.h"

#include <algorithm>
#include <stdexcept>

namespace vmsim {

namespace {
// Linux's defaults scale with memory; these do too: min about 1/64 of the
// frames (at least 8), low and high 5/4 and 3/2 of it.
Watermarks default_watermarks(uint64_t frames) {
  const uint64_t min = std::max<uint64_t>(8, frames / 64);
  return {min, min * 5 / 4, min * 3 / 2};
}
}  // namespace

FramePool::FramePool(uint64_t frames, const RuntimeConfig& cfg)
    : phys_(frames),
      wm_(cfg.watermarks.high ? cfg.watermarks : default_watermarks(frames)),
      reclaim_(cfg.reclaim),
      user_cap_(cfg.user_frames),
      owner_(frames, nullptr) {
  if (!(wm_.min < wm_.low && wm_.low < wm_.high)) {
    throw std::invalid_argument("watermarks must satisfy min < low < high");
  }
  if (wm_.high >= frames)
    throw std::invalid_argument("the high watermark must be below the number of frames");
}

std::optional<Ppn> FramePool::take_user_frame() {
  const bool capped = user_cap_ && user_frames_ >= user_cap_;
  const uint64_t floor = reclaim_ == ReclaimMode::kOnDemand ? kTableReserve : wm_.min;
  if (capped || phys_.free_count() <= floor) return std::nullopt;
  auto f = phys_.alloc();
  ++user_frames_;
  return f;
}

void FramePool::release_user_frame(Ppn frame) {
  phys_.free(frame);
  owner_[frame.value()] = nullptr;
  --user_frames_;
}

std::optional<Ppn> FramePool::take_user_block(unsigned order) {
  const uint64_t n = uint64_t{1} << order;
  if ((user_cap_ && user_frames_ + n > user_cap_) || phys_.free_count() < wm_.high + n) return std::nullopt;
  auto f = phys_.alloc_block(order);
  if (f) user_frames_ += n;
  return f;
}

bool FramePool::below_low() const {
  return reclaim_ == ReclaimMode::kWatermark && phys_.free_count() < wm_.low;
}

std::optional<Ppn> FramePool::take_fixed(unsigned order) {
  auto f = phys_.alloc_block(order);
  if (f) fixed_frames_ += uint64_t{1} << order;
  return f;
}

}  // namespace vmsim
