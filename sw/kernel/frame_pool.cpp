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
    : phys_(frames, cfg.nodes),
      reclaim_(cfg.reclaim),
      user_cap_(cfg.user_frames),
      node_user_frames_(phys_.nodes(), 0),
      owner_(frames, nullptr) {
  for (unsigned n = 0; n < phys_.nodes(); ++n) {
    const uint64_t node_frames = phys_.buddy(n).frames();
    const Watermarks wm = cfg.watermarks.high ? cfg.watermarks : default_watermarks(node_frames);
    if (!(wm.min < wm.low && wm.low < wm.high)) {
      throw std::invalid_argument("watermarks must satisfy min < low < high");
    }
    if (wm.high >= node_frames)
      throw std::invalid_argument(phys_.nodes() > 1
                                      ? "the high watermark must be below each node's frames"
                                      : "the high watermark must be below the number of frames");
    wm_.push_back(wm);
  }
}

std::optional<Ppn> FramePool::take_user_frame(unsigned node) {
  const bool capped = user_cap_ && user_frames_ >= user_cap_;
  const uint64_t floor = reclaim_ == ReclaimMode::kOnDemand ? kTableReserve : wm_[node].min;
  if (capped || phys_.free_count(node) <= floor) return std::nullopt;
  auto f = phys_.alloc(node);
  if (!f) return std::nullopt;
  ++user_frames_;
  ++node_user_frames_[node];
  return f;
}

void FramePool::release_user_frame(Ppn frame) {
  phys_.free(frame);
  owner_[frame.value()] = nullptr;
  --user_frames_;
  --node_user_frames_[phys_.node_of(frame)];
}

std::optional<Ppn> FramePool::take_user_block(unsigned order, unsigned node) {
  const uint64_t n = uint64_t{1} << order;
  if ((user_cap_ && user_frames_ + n > user_cap_) || phys_.free_count(node) < wm_[node].high + n)
    return std::nullopt;
  auto f = phys_.alloc_block(order, Mobility::kMovable, node);
  if (f) user_frames_ += n, node_user_frames_[node] += n;
  return f;
}

bool FramePool::below_low(unsigned node) const {
  return reclaim_ == ReclaimMode::kWatermark && phys_.free_count(node) < wm_[node].low;
}

std::optional<Ppn> FramePool::take_fixed(unsigned order) {
  auto f = phys_.alloc_block(order);
  if (f) fixed_frames_ += uint64_t{1} << order;
  return f;
}

}  // namespace vmsim
