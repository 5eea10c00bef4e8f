// guest_runtime.h: the operating system the guest workload runs on.
//
// Every load, store and fetch the workload makes goes through translate():
// the MMU (RTL) translates; on a page fault the PageFaultHandler resolves it
// and the access is retried, as a trap handler returning to the faulting
// instruction would. Data then moves through PhysMemory. Invalid accesses are
// returned as results (a segfault report), never thrown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sw/address_space.h"
#include "sw/mmu_port.h"
#include "sw/page_fault_handler.h"

namespace vmsim {

struct RuntimeConfig {
  PagingMode mode = PagingMode::kSv39;
  Asid asid{1};
  TranslationControl control{};
};

struct InvalidAccess {
  VirtAddr va;
  Access access;
  Priv priv;
  Cause cause;
  std::string reason;
};

struct AccessResult {
  bool ok = false;
  uint64_t value = 0;                     // loads and fetches
  std::optional<InvalidAccess> fault;     // set when !ok
};

struct RuntimeStats {
  uint64_t minor_faults = 0;
  uint64_t invalid_faults = 0;
  uint64_t access_faults = 0;   // MMU access faults (PTE outside memory) and bad data addresses
  uint64_t frames_mapped = 0;
};

class GuestRuntime {
 public:
  GuestRuntime(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg);

  AddressSpace& space() { return space_; }
  FrameBitmap& frames() { return frames_; }
  const RuntimeStats& stats() const { return stats_; }
  const std::vector<InvalidAccess>& invalid_log() const { return invalid_log_; }

  // A lazily backed region (first touch allocates). False if it cannot be added.
  bool add_lazy_region(const Region& r);
  // A region mapped at once with pages of `level` (0 = 4 KiB, 1 = 2 MiB, ...)
  // backed by contiguous frames. False when frames or tables run out.
  bool add_eager_region(const Region& r, unsigned level);
  // Maps [0, memory size) at `base` with global, supervisor-only 1 GiB pages
  // (4 MiB in Sv32), like Linux's direct map. Frames are not allocated: it is
  // a window onto all of memory.
  bool add_direct_map(VirtAddr base);

  // size is 1, 2, 4 or 8 and va must be aligned to it.
  AccessResult load(VirtAddr va, unsigned size, Priv priv);
  AccessResult store(VirtAddr va, uint64_t value, unsigned size, Priv priv);
  AccessResult fetch(VirtAddr va, Priv priv);  // reads a 4-byte instruction

 private:
  // Translates with fault handling; on failure fills `fault`.
  std::optional<PhysAddr> translate(VirtAddr va, Access access, Priv priv,
                                    std::optional<InvalidAccess>& fault);
  AccessResult fail(VirtAddr va, Access access, Priv priv, Cause cause, std::string reason);

  PhysMemory& mem_;
  MmuPort& mmu_;
  FrameBitmap frames_;
  AddressSpace space_;
  PageFaultHandler handler_;
  RuntimeStats stats_;
  std::vector<InvalidAccess> invalid_log_;  // the first kInvalidLogLimit
  static constexpr size_t kInvalidLogLimit = 64;
};

}  // namespace vmsim
