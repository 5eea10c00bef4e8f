// reverse_map.h: from a page to every PTE that maps it (Page::maps), and what
// the kernel does through them: read and clear the Accessed bit, read the
// Dirty bit, unmap.
//
// It is the AccessedBits object the replacement policies are given: when a
// policy asks whether a page was referenced, the answer comes from the A bits
// the hardware set, and clearing them fences each address, so a TLB entry
// cannot hide the next reference.
//
// Transparent huge pages: a page's mapping may be a superpage leaf shared by
// all the pages of the huge page (khugepaged.h). Its A bit is one for all of
// them: test_and_clear() hands it on to the others (Page::huge_young) when it
// clears it. Its D bit is one for all too: every page of a dirty huge leaf is
// dirty. Anything that changes one page's PTE splits the huge leaf first.
#pragma once

#include "sw/kernel/runtime_config.h"
#include "sw/mmu_port.h"
#include "sw/policy/replacement_policy.h"
#include "sw/process.h"

namespace vmsim {

class ReverseMap final : public AccessedBits {
 public:
  ReverseMap(MmuPort& mmu, RuntimeStats& stats) : mmu_(mmu), stats_(stats) {}

  // True when any mapping had A set; clears A in each and fences it.
  bool test_and_clear(Page& page) override;
  // Records that `p` maps the page at `va` (the PTE is the caller's to write).
  void add(Page& page, Process& p, VirtAddr va) { page.maps.push_back({&p, va}); }
  // D set in any mapping's PTE.
  bool mapped_dirty(const Page& page) const;
  // Writeback: clears D in every PTE mapping the page and fences each, so
  // the next store is seen again (the hardware sets D, or, under Svade, the
  // store faults); true when any had D.
  bool clear_dirty(Page& page);
  // Clears every PTE mapping the page and fences each; true when any had D.
  bool unmap_all(Page& page);
  // Drops `p`'s mapping at `va` and clears its PTE, without a fence: the
  // caller (munmap, exit, mprotect) fences the whole range once. A D bit
  // the PTE held moves to the page (Page::dirty).
  void unmap_one(Page& page, Process& p, VirtAddr va);
  // Compaction moved the page to frame `to`: every PTE mapping it is
  // rewritten to point there (rights, A, D kept) and fenced.
  void retarget(Page& page, Ppn to);
  // If a huge leaf maps `va` in `p` (a page of a transparent huge page), it
  // becomes a table of 4 KiB leaves, fenced; without a free frame for the
  // table, it is cleared instead and its pages' mappings there are dropped
  // (D kept in each page): the next touch maps each again.
  void split_huge(Process& p, VirtAddr va);
  // mremap: `p`'s mapping of the page moves from `from` to `to`, its PTE
  // (rights, A, D) with it; when no table frame is left for `to`, the
  // mapping is dropped as unmap_one drops it (the next touch faults it back).
  // No fence. Nothing happens if `p` does not map the page at `from`.
  void move_one(Page& page, Process& p, VirtAddr from, VirtAddr to);

 private:
  // split_huge() at every mapping of the page.
  void split_all(Page& page);
  // The other pages of the huge page mapped at `va` were referenced too.
  void mark_group_young(Process& p, VirtAddr va, unsigned level, const Page& tested);
  // The pages of the huge page mapped by `p` at `base`, with their addresses.
  template <typename F>
  void for_each_huge_page(Process& p, VirtAddr base, unsigned level, F f);

  MmuPort& mmu_;
  RuntimeStats& stats_;  // A-bit tests and their fences are counted here
};

}  // namespace vmsim
