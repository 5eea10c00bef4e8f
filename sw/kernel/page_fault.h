// page_fault.h: what the kernel does when the MMU reports a page fault.
//
// - Outside every region, or against the region's rights: invalid, like a
//   SIGSEGV. Nothing is changed; the access path ends the process.
// - Page never touched (or a dropped zero page): allocate a zeroed frame and
//   map it (minor: lazy allocation).
// - Page resident, not mapped here (a shared page another process brought
//   in): map the frame (minor: soft fault).
// - Page resident and mapped, but A clear, or D clear on a store (Svade):
//   set the bits (minor).
// - Page in swap: allocate a frame and swap it in (major; see swap.h).
#pragma once

#include <string>

#include "sw/kernel/frame_allocator.h"

namespace vmsim {

class FaultHandler {
 public:
  enum class Outcome { kMinor, kMajor, kInvalid, kKilled };
  struct Resolution {
    Outcome outcome;
    std::string reason;  // why it is invalid
  };

  FaultHandler(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, FrameAllocator& alloc,
               ResidentPages& resident, Swapper& swapper, ReverseMap& rmap, KernelTime& time)
      : mem_(mem),
        mmu_(mmu),
        cfg_(cfg),
        alloc_(alloc),
        resident_(resident),
        swapper_(swapper),
        rmap_(rmap),
        time_(time) {}

  Resolution handle(Process& p, VirtAddr va, Access access, Priv priv);

 private:
  Resolution set_accessed_dirty(Process& p, Page& page, const Region& r, VirtAddr va, Access access);
  Resolution zero_fill(Process& p, Page& page, const Region& r, VirtAddr va, Access access);
  Resolution swap_in(Process& p, Page& page, const Region& r, VirtAddr va, Access access);
  void map_page(Process& p, Page& page, const Region& r, VirtAddr va, Access access);

  PhysMemory& mem_;
  MmuPort& mmu_;
  const RuntimeConfig& cfg_;
  FrameAllocator& alloc_;
  ResidentPages& resident_;
  Swapper& swapper_;
  ReverseMap& rmap_;
  KernelTime& time_;
};

}  // namespace vmsim
