// frame_bitmap.h: the record of which physical frames are in use, one bit
// per 4 KiB frame.
//
// It allocates nothing itself: PhysFrames (phys_frames.h) chooses frames with
// its buddy allocator and records each choice here. The bitmap is the record
// of truth the audit checks the buddy allocator's free lists against.
#pragma once

#include <cstdint>
#include <vector>

#include "sw/types.h"

namespace vmsim {

class FrameBitmap {
 public:
  explicit FrameBitmap(uint64_t frames);

  // Marks a frame used. False (and no change) if it was, or is unknown.
  bool mark_used(Ppn ppn);
  // Marks a frame free. False (and no change) if it was, or is unknown.
  bool mark_free(Ppn ppn);

  bool in_use(Ppn ppn) const;
  uint64_t total() const { return frames_; }
  uint64_t used() const { return used_; }
  uint64_t free_count() const { return frames_ - used_; }

 private:
  uint64_t frames_;
  uint64_t used_ = 0;
  std::vector<uint64_t> words_;
};

}  // namespace vmsim
