// frame_pool.h: physical frames as the kernel accounts for them.
//
// The FrameBitmap says which frames are used; the pool adds what the kernel
// needs to decide: the watermarks (min, low, high free frames), how many
// frames hold user pages (reclaimable) and how many are fixed (huge-page
// regions, never reclaimed), the cap on user frames, and which page each
// frame holds. Page tables take frames straight from the bitmap.
//
// take_user_frame() only takes a frame when one is free without reclaim; the
// slow path (direct reclaim, the OOM killer) is FrameAllocator's.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sw/frame_bitmap.h"
#include "sw/kernel/runtime_config.h"

namespace vmsim {

class FramePool {
 public:
  // Frames kept free for page tables when reclaim is on demand.
  static constexpr uint64_t kTableReserve = 8;

  // Throws std::invalid_argument when the watermarks are out of order or
  // not below the number of frames.
  FramePool(uint64_t frames, const RuntimeConfig& cfg);

  FrameBitmap& bitmap() { return bitmap_; }
  const FrameBitmap& bitmap() const { return bitmap_; }
  const Watermarks& watermarks() const { return wm_; }

  // A frame for a user page if free frames are above the floor (the min
  // watermark, or the table reserve on demand) and the user cap allows.
  std::optional<Ppn> take_user_frame();
  void release_user_frame(Ppn frame);
  // Watermark reclaim only: free frames have fallen below low (kswapd's cue).
  bool below_low() const;
  bool below_high() const { return bitmap_.free_count() < wm_.high; }
  // `count` contiguous frames aligned to `count`, never reclaimed (huge pages).
  std::optional<Ppn> take_fixed(uint64_t count);

  void set_owner(Ppn frame, Page* page) { owner_[frame.value()] = page; }
  Page* owner(Ppn frame) const { return owner_[frame.value()]; }
  const std::vector<Page*>& owners() const { return owner_; }  // by frame number

  uint64_t user_frames() const { return user_frames_; }
  uint64_t fixed_frames() const { return fixed_frames_; }

 private:
  FrameBitmap bitmap_;
  Watermarks wm_;
  ReclaimMode reclaim_;
  uint64_t user_cap_;
  uint64_t user_frames_ = 0;
  uint64_t fixed_frames_ = 0;
  std::vector<Page*> owner_;  // by frame number: the page in it, if any
};

}  // namespace vmsim
