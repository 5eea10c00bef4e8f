// resident_pages.h: pages entering and leaving frames.
//
// A page becomes resident in a frame (the frame's owner, inserted into the
// replacement policy), and stops being resident when it is swapped out
// (swap.h) or freed here: unmapped everywhere, its frame and swap slot given
// back. release_region() is what munmap and exit do to the pages of a range.
#pragma once

#include <utility>
#include <vector>

#include "sw/address_space.h"
#include "sw/kernel/frame_pool.h"
#include "sw/kernel/reverse_map.h"
#include "sw/kernel/swap_space.h"

namespace vmsim {

class ResidentPages {
 public:
  ResidentPages(FramePool& frames, ReplacementPolicy& policy, ReverseMap& rmap, SwapSpace& swap)
      : frames_(frames), policy_(policy), rmap_(rmap), swap_(swap) {}

  // The page now lives in `frame`, clean (its backing copy is current).
  void make_resident(Page& page, Ppn frame);
  // Out of its frame, which goes back to the pool (the page's state is the caller's).
  void release_frame(Page& page);
  // The page's data now lives in frame `to` (compaction, khugepaged): the
  // frame's owner, and, when `to` is on another NUMA node, the node's lists
  // (node_lists.h). The old frame is the caller's to free; PTEs are too.
  void move_frame(Page& page, Ppn to);
  // The page is gone: unmapped everywhere, frame and swap slot given back.
  void free_page(Page& page);
  // `p` stops mapping the pages of `r` (already carved out of its address
  // space). A private region's pages, or a shared one's when `p` was its last
  // user, are freed; a file's pages stay cached (page_cache.h). PTEs are cleared without fences: the caller
  // fences.
  void release_region(Process& p, const Region& r);
  // `p` stops mapping the pages of `r`, which stay its pages (resident or
  // swapped, dirtiness kept): mprotect to no rights, since a valid PTE
  // without R, W or X would be a pointer to a page table. The next touch
  // faults, and maps the page again if the rights allow it by then. No fences.
  void unmap_region(Process& p, const Region& r);
  ReverseMap& rmap() { return rmap_; }  // the mappings of the pages it holds

  // The pages of `r` its object has records for, with their addresses. Walks
  // the object's records rather than the range: a region may span 2^47 bytes
  // (trace replay maps the whole user half) and hold a few hundred pages.
  static std::vector<std::pair<uint64_t, VirtAddr>> pages_in(const Region& r);
  // The same for `obj`, an object down r's backing chain.
  static std::vector<std::pair<uint64_t, VirtAddr>> pages_in(const Region& r, MemoryObject& obj);

 private:
  // `p` stops mapping the pages down r's backing chain in r's range (a fork's
  // shared pages it read). No fences.
  void unmap_chain(Process& p, const Region& r);
  // `top` is gone: its backing loses a shadow, and when nothing refers to it
  // any more its pages are freed and the same is done down the chain.
  void drop_backing(MemoryObject& top);

  FramePool& frames_;
  ReplacementPolicy& policy_;
  ReverseMap& rmap_;
  SwapSpace& swap_;
};

}  // namespace vmsim
