// page_fault_handler.h: what the runtime does when the MMU reports a page fault.
//
// - Inside a region whose rights allow the access, with no page mapped:
//   allocate a zeroed frame, map it, fence (lazy allocation: a minor fault).
// - Mapped, allowed, but A clear, or D clear on a store (Svade): set the bits,
//   fence (also minor; this is how Linux tracks dirty pages without Svadu).
// - Outside every region, or against the region's rights: invalid, like a
//   SIGSEGV. Nothing is changed and the access is not retried.
// - No frame left: invalid with reason "out of memory" (swap and the OOM
//   killer come later).
#pragma once

#include <string>

#include "sw/address_space.h"
#include "sw/mmu_port.h"

namespace vmsim {

enum class FaultKind { kMinor, kInvalid };

struct FaultResolution {
  FaultKind kind;
  std::string reason;  // for invalid faults: what was wrong
};

class PageFaultHandler {
 public:
  PageFaultHandler(PhysMemory& mem, FrameBitmap& frames, MmuPort& mmu)
      : mem_(mem), frames_(frames), mmu_(mmu) {}

  FaultResolution handle(AddressSpace& as, VirtAddr va, Access access, Priv priv);

 private:
  PhysMemory& mem_;
  FrameBitmap& frames_;
  MmuPort& mmu_;
};

}  // namespace vmsim
