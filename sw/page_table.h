// page_table.h: one address space's radix page table in simulated memory.
//
// Builds Sv32/Sv39/Sv48/Sv57 tables the way an OS does: intermediate tables are
// allocated from the PhysFrames on demand and zeroed; PTEs are written into
// physical memory through PhysMemory (DMI in co-simulation). The table never
// fences: callers edit, then issue sfence.vma through the MmuPort.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sw/paging.h"
#include "sw/phys_frames.h"
#include "sw/phys_memory.h"

namespace vmsim {

// Where a software walk ended.
struct PteSlot {
  PhysAddr addr;   // physical address of the PTE
  uint64_t entry;  // its value
  unsigned level;  // 0 = 4 KiB leaf level
};

class PageTable {
 public:
  // Allocates and zeroes the root table. Throws std::runtime_error when no frame is free.
  PageTable(PhysMemory& mem, PhysFrames& frames, PagingMode mode);

  PagingMode mode() const { return mode_; }
  Ppn root() const { return root_; }
  unsigned levels() const { return levels_of(mode_); }

  // Maps va (aligned to the page size of `level`) to ppn with the given leaf
  // flags (V is added). False when a table frame could not be allocated or a
  // different leaf already covers va.
  bool map(VirtAddr va, Ppn ppn, uint64_t flags, unsigned level = 0);
  // Clears the leaf covering va; returns the old leaf entry if there was one.
  std::optional<PteSlot> unmap(VirtAddr va);
  // The valid leaf covering va, or nullopt.
  std::optional<PteSlot> find_leaf(VirtAddr va) const;
  // Overwrites the entry at a slot found by find_leaf (e.g. to set A/D).
  void update(const PteSlot& slot, uint64_t entry);
  // The frame a leaf maps va to: the leaf's PPN plus va's 4 KiB page within
  // it (a superpage maps 2^(9 level) frames, 2^(10 level) in Sv32).
  Ppn frame_at(const PteSlot& leaf, VirtAddr va) const;

  // Transparent huge pages. collapse(): the table below the level-`level`
  // entry covering `base` (aligned to that level's page size) gives way to
  // one leaf mapping `ppn` with `flags` (V added); the table's frame, and any
  // below it, are freed. False when no table is there. split(): a level > 0
  // leaf becomes a table of leaves one level down, mapping the same frames
  // with the same flags; false (nothing changed) when no frame is free for
  // the table. Neither fences.
  bool collapse(VirtAddr base, Ppn ppn, uint64_t flags, unsigned level);
  bool split(const PteSlot& leaf);

  // Frames this table owns (root and intermediate tables).
  const std::vector<Ppn>& table_frames() const { return table_frames_; }
  // After the owner freed those frames (process exit): the table is gone.
  void forget_frames() { table_frames_.clear(); }

 private:
  PhysAddr slot_addr(Ppn table, VirtAddr va, unsigned level) const;
  uint64_t read_pte(PhysAddr a) const;
  void write_pte(PhysAddr a, uint64_t e);
  // Frees a table at `level` and every table below it.
  void free_table(Ppn table, unsigned level);

  PhysMemory& mem_;
  PhysFrames& frames_;
  PagingMode mode_;
  Ppn root_;
  std::vector<Ppn> table_frames_;
};

}  // namespace vmsim
