// swap.h: the one place pages go out to swap and come back.
//
// swap_out() takes a resident page out of its frame. Whether it must be
// written decides everything:
//   clean, with a current copy in its swap slot  -> dropped (swap.clean_drops)
//   clean, never written (still all zeros)        -> dropped (swap.zero_drops)
//   dirty (page.dirty, D in a PTE, or a stale slot) -> written to a slot (swap.outs)
// A page that must be written but finds no free slot, or whose write fails,
// stays resident.
//
// swap_in() reads the slot back into a frame, checks its CRC, and makes the
// page resident and clean. The slot stays allocated as the swap cache's copy
// until the page is dirtied, so a clean page can later go without a write.
//
// A file's page never goes to swap: swap_out() hands it to the page cache,
// which writes it back to its file if dirty and drops it (page_cache.h).
#pragma once

#include "sw/kernel/kernel_time.h"
#include "sw/kernel/page_cache.h"
#include "sw/phys_memory.h"

namespace vmsim {

class Swapper {
 public:
  Swapper(PhysMemory& mem, SwapSpace& swap, ResidentPages& resident, PageCache& cache, ReverseMap& rmap,
          ReplacementPolicy& policy, RuntimeStats& stats, KernelTime& time)
      : mem_(mem),
        swap_(swap),
        resident_(resident),
        cache_(cache),
        rmap_(rmap),
        policy_(policy),
        stats_(stats),
        time_(time) {}

  // False when the page stays resident: no free slot for a dirty page, or a
  // failed write.
  bool swap_out(Page& page);
  // Reads the page's slot into `frame`; on kOk the page is resident there.
  SwapSpace::ReadResult swap_in(Page& page, Ppn frame);
  // True when dropping the frame loses nothing: no store since the page's
  // backing copy (its slot, or zeros) was made.
  bool is_clean(const Page& page) const;

  SwapSpace& space() { return swap_; }
  // Flips bits in a slot behind the CRC's back, as a failing device would.
  void corrupt_slot_for_test(uint64_t slot, SwapBackend& device);

 private:
  bool needs_write(const Page& page) const;
  bool write_out(Page& page, uint64_t& latency);

  PhysMemory& mem_;
  SwapSpace& swap_;
  ResidentPages& resident_;
  PageCache& cache_;
  ReverseMap& rmap_;
  ReplacementPolicy& policy_;
  RuntimeStats& stats_;
  KernelTime& time_;
};

}  // namespace vmsim
