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
// - Page this process has not written since a fork (held down its object's
//   backing chain, page.h): a load maps it without W (minor, or major from
//   swap); a store copies it into the process's own object and maps the
//   copy writable (a COW fault, counted on its own).
// - A file's page not in the page cache: read it from the file (major). A
//   private mapping reads it as it reads a fork's shared page (mapped without
//   W) and copies it on the first store. At or past the file's last page:
//   invalid (Linux sends SIGBUS).
#pragma once

#include <string>

#include "sw/kernel/frame_allocator.h"

namespace vmsim {

class FaultHandler {
 public:
  enum class Outcome { kMinor, kMajor, kCow, kInvalid, kKilled };
  struct Resolution {
    Outcome outcome;
    std::string reason;  // why it is invalid
  };

  FaultHandler(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, FrameAllocator& alloc,
               ResidentPages& resident, Swapper& swapper, PageCache& cache, ReverseMap& rmap,
               KernelTime& time)
      : mem_(mem),
        mmu_(mmu),
        cfg_(cfg),
        alloc_(alloc),
        resident_(resident),
        swapper_(swapper),
        cache_(cache),
        rmap_(rmap),
        time_(time) {}

  Resolution handle(Process& p, VirtAddr va, Access access, Priv priv);

 private:
  Resolution set_accessed_dirty(Process& p, Page& page, const Region& r, VirtAddr va, Access access);
  Resolution zero_fill(Process& p, Page& page, const Region& r, VirtAddr va, Access access);
  // `read_only`: a page shared down a fork's chain, mapped without W.
  Resolution swap_in(Process& p, Page& page, const Region& r, VirtAddr va, Access access,
                     bool read_only = false);
  // A file page not cached: read from the file into a new frame.
  Resolution file_fill(Process& p, Page& page, const Region& r, VirtAddr va, Access access,
                       bool read_only = false);
  Resolution from_backing(Process& p, Page& own, Page& src, const Region& r, VirtAddr va, Access access);
  Resolution copy_on_write(Process& p, Page& own, Page& src, const Region& r, VirtAddr va);
  void map_page(Process& p, Page& page, const Region& r, VirtAddr va, Access access, bool read_only = false);

  PhysMemory& mem_;
  MmuPort& mmu_;
  const RuntimeConfig& cfg_;
  FrameAllocator& alloc_;
  ResidentPages& resident_;
  Swapper& swapper_;
  PageCache& cache_;
  ReverseMap& rmap_;
  KernelTime& time_;
};

}  // namespace vmsim
