// frame_pool.h: physical frames as the kernel accounts for them.
//
// PhysFrames allocates frames (a buddy allocator) and records which are used
// (a bitmap); the pool adds what the kernel needs to decide: the watermarks (min, low, high free frames), how
// many frames hold user pages (reclaimable) and how many are fixed (huge-page regions, never reclaimed), the
// cap on user frames, and which page each frame holds. Page tables take frames straight from PhysFrames.
//
// take_user_frame() only takes a frame when one is free without reclaim; the
// slow path (direct reclaim, the OOM killer) is FrameAllocator's.
//
// NUMA: each node has its own watermarks (derived from its own size, or the
// configured ones, which then apply to each node), and user frames are taken
// from a given node; the user cap and half_full() count all nodes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sw/kernel/runtime_config.h"
#include "sw/phys_frames.h"

namespace vmsim {

class FramePool {
 public:
  // Frames kept free for page tables when reclaim is on demand.
  static constexpr uint64_t kTableReserve = 8;

  // Throws std::invalid_argument when the watermarks are out of order or
  // not below the number of frames (of each node), or for a bad node count.
  FramePool(uint64_t frames, const RuntimeConfig& cfg);

  PhysFrames& phys() { return phys_; }
  const PhysFrames& phys() const { return phys_; }
  unsigned nodes() const { return phys_.nodes(); }
  const Watermarks& watermarks(unsigned node = 0) const { return wm_[node]; }

  // A frame for a user page from `node` if its free frames are above the
  // floor (its min watermark, or the table reserve on demand) and the user
  // cap allows.
  std::optional<Ppn> take_user_frame(unsigned node = 0);
  void release_user_frame(Ppn frame);
  // 2^order contiguous frames for user pages (a transparent huge page), only
  // while free frames stay at or above the high watermark after it and the
  // user cap allows: promotion never pushes memory into reclaim. Each frame
  // counts as a user frame and goes back by release_user_frame().
  std::optional<Ppn> take_user_block(unsigned order, unsigned node);
  // Watermark reclaim only: the node's free frames have fallen below low (its kswapd's cue).
  bool below_low(unsigned node = 0) const;
  bool below_high(unsigned node = 0) const { return phys_.free_count(node) < wm_[node].high; }
  // User pages hold at least half the frames they may take (the user cap,
  // or all frames): memory pressure is coming, when the policies start aging.
  bool half_full() const { return 2 * user_frames_ >= (user_cap_ ? user_cap_ : phys_.total()); }
  // 2^order contiguous frames aligned to their size, never reclaimed (huge
  // pages): one block from the buddy allocator.
  std::optional<Ppn> take_fixed(unsigned order);

  void set_owner(Ppn frame, Page* page) { owner_[frame.value()] = page; }
  Page* owner(Ppn frame) const { return owner_[frame.value()]; }
  const std::vector<Page*>& owners() const { return owner_; }  // by frame number

  uint64_t user_frames() const { return user_frames_; }
  uint64_t user_frames(unsigned node) const { return node_user_frames_[node]; }
  uint64_t fixed_frames() const { return fixed_frames_; }

 private:
  PhysFrames phys_;
  std::vector<Watermarks> wm_;  // by node
  ReclaimMode reclaim_;
  uint64_t user_cap_;
  uint64_t user_frames_ = 0;
  std::vector<uint64_t> node_user_frames_;  // by node
  uint64_t fixed_frames_ = 0;
  std::vector<Page*> owner_;  // by frame number: the page in it, if any
};

}  // namespace vmsim
