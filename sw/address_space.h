// address_space.h: a process's view of memory: its regions (like Linux VMAs)
// in an ordered map, its page table and its ASID.
//
// A region is a range of virtual pages with permissions. Lazy regions are
// backed on first touch by the page-fault handler; eager regions are mapped
// when added (the runtime's direct map, huge-page regions).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sw/page.h"
#include "sw/page_table.h"

namespace vmsim {

struct Perms {
  bool read = false, write = false, exec = false, user = false;
  // Leaf PTE flags for these rights (W implies R; A/D are set by the caller).
  uint64_t pte_flags() const;
  bool allows(Access a, Priv p) const;
};

struct Region {
  std::string name;
  VirtAddr start;
  uint64_t length = 0;  // bytes, a multiple of the page size
  Perms perms;
  bool global = false;  // kernel mappings shared by every address space
  // Anonymous memory behind the region (pages by index, from obj_offset);
  // null for fixed mappings (direct map, huge-page regions), never reclaimed.
  std::shared_ptr<MemoryObject> obj;
  uint64_t obj_offset = 0;

  VirtAddr end() const { return VirtAddr{start.value() + length}; }
  bool contains(VirtAddr va) const { return va >= start && va < end(); }
  uint64_t page_index(VirtAddr va) const { return obj_offset + (va.value() - start.value()) / kPageSize; }
};

class AddressSpace {
 public:
  AddressSpace(Asid asid, PageTable table) : asid_(asid), table_(std::move(table)) {}

  Asid asid() const { return asid_; }
  PageTable& table() { return table_; }
  const PageTable& table() const { return table_; }
  uint64_t satp() const { return make_satp(table_.mode(), asid_, table_.root()); }

  // False when the range is empty, unaligned, non-canonical or overlaps a region.
  bool add_region(const Region& r);
  const Region* find(VirtAddr va) const;
  // fork: the region starting at `start` is backed by `obj` from now on.
  void set_object(VirtAddr start, std::shared_ptr<MemoryObject> obj) {
    regions_.at(start.value()).obj = std::move(obj);
  }
  const std::map<uint64_t, Region>& regions() const { return regions_; }
  // Cuts [start, end) out of the regions it overlaps (splitting them) and
  // returns the pieces removed. Used by munmap and mprotect. MemoryObject::users
  // counts regions: pieces left behind add to it, removed pieces keep theirs.
  std::vector<Region> carve(VirtAddr start, VirtAddr end);
  // The lowest gap of `length` bytes at or above `from`, below `limit`.
  std::optional<VirtAddr> find_gap(uint64_t length, VirtAddr from, VirtAddr limit) const;

 private:
  Asid asid_;
  PageTable table_;
  std::map<uint64_t, Region> regions_;  // keyed by start address
};

}  // namespace vmsim
