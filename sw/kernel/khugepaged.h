// khugepaged.h: transparent huge pages, made in the background.
//
// With RuntimeConfig::thp on, every `khugepaged_period` completed guest
// accesses the kernel looks (as Linux's khugepaged thread does) for ranges
// it can map with one superpage leaf instead of a table of 4 KiB leaves:
//   - aligned to the superpage size (2 MiB; 4 MiB in Sv32) and inside one
//     region of private anonymous memory (no file, no sharing, no fork's
//     backing chain under it);
//   - every 4 KiB page of it resident and mapped here only, by a 4 KiB leaf.
// Promotion takes a free block of that size on the NUMA node of the range's
// first page (compacting the node if none is free, but never pushing its free
// frames below its high watermark), copies the
// pages into it in order, replaces the table with one leaf (rights of the
// region; A if any page had A; D clear, with each page's own D moved into
// the page so no store is forgotten), frees the table and the old frames,
// and fences the address space. The pages stay the kernel's 4 KiB pages:
// each on the reclaim lists, each with its frame inside the block.
//
// A pass costs a look at every page record of the private regions (not at
// every range of their addresses): about the resident pages, every period.
//
// Splitting is the reverse map's (reverse_map.h): reclaim, munmap, mprotect,
// fork, mremap and compaction split a huge leaf before they change one page.
#pragma once

#include <cstdint>

#include "sw/kernel/compaction.h"
#include "sw/kernel/process_table.h"

namespace vmsim {

class Khugepaged {
 public:
  Khugepaged(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, ProcessTable& procs, FramePool& frames,
             ResidentPages& resident, Compactor& compactor, RuntimeStats& stats, KernelTime& time)
      : mem_(mem),
        mmu_(mmu),
        cfg_(cfg),
        procs_(procs),
        frames_(frames),
        resident_(resident),
        compactor_(compactor),
        stats_(stats),
        time_(time) {}

  // A guest access completed: the scan's timer.
  void note_access();
  // One scan of every live process; returns the ranges promoted.
  unsigned scan();

 private:
  static constexpr unsigned kMaxPerScan = 8;  // bounds the work of one scan, as khugepaged's pages_to_scan

  // The pages of [base, base + huge) in `r` if they can be promoted (in order), else empty.
  std::vector<Page*> candidate(Process& p, const Region& r, VirtAddr base) const;
  bool promote(Process& p, VirtAddr base, const std::vector<Page*>& pages);

  PhysMemory& mem_;
  MmuPort& mmu_;
  const RuntimeConfig& cfg_;
  ProcessTable& procs_;
  FramePool& frames_;
  ResidentPages& resident_;
  Compactor& compactor_;
  RuntimeStats& stats_;
  KernelTime& time_;
  uint64_t since_scan_ = 0;
};

}  // namespace vmsim
