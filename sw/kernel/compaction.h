// compaction.h: making a free block of a given order by moving user pages out
// of its way (Linux's memory compaction, done directly when a superpage
// request finds no block that large).
//
// Which frames can move: those holding a resident user page (FramePool's
// owner). Page-table frames and superpage frames stay where they are, so a
// range holding one of them is never chosen (the buddy allocator keeps page
// tables in unmovable pageblocks of their own, so few ranges hold one).
// Moving a page copies its frame
// to a free frame outside the range, points every PTE that maps it (the
// reverse map) at the new frame, fences each, and frees the old frame. The
// page keeps its state, dirtiness, swap copy and place in the replacement
// policy: only its frame number changes.
//
// The range chosen is the aligned block of the order with the fewest frames
// to move, among those with nothing unmovable in them; its free frames are
// held back, and the frames its pages leave are freed only at the end, so no
// page moves into it.
#pragma once

#include <cstdint>
#include <optional>

#include "sw/kernel/frame_pool.h"
#include "sw/kernel/kernel_time.h"
#include "sw/kernel/resident_pages.h"
#include "sw/phys_memory.h"

namespace vmsim {

class Compactor {
 public:
  Compactor(PhysMemory& mem, FramePool& frames, ResidentPages& resident, ReverseMap& rmap,
            RuntimeStats& stats, KernelTime& time, uint64_t copy_cycles)
      : mem_(mem),
        frames_(frames),
        resident_(resident),
        rmap_(rmap),
        stats_(stats),
        time_(time),
        copy_cycles_(copy_cycles) {}

  // True when, after moving pages, a free block of 2^order frames exists
  // (also when one existed already). False when no aligned range can be
  // emptied: an unmovable frame in each, or too few free frames elsewhere.
  bool compact(unsigned order);
  // The same within one NUMA node: the range, and the frames its pages go
  // to, are the node's.
  bool compact(unsigned order, unsigned node);

 private:
  std::optional<uint64_t> choose_range(unsigned order, unsigned node) const;
  void migrate(Page& page, Ppn to);

  PhysMemory& mem_;
  FramePool& frames_;
  ResidentPages& resident_;
  ReverseMap& rmap_;
  RuntimeStats& stats_;
  KernelTime& time_;
  uint64_t copy_cycles_;
};

}  // namespace vmsim
