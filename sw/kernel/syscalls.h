// syscalls.h: the memory system calls of the running process, and the
// regions the kernel itself lays out.
//
//   mmap      a fresh lazily backed region above the heap (or a shared object)
//   munmap    carve a range out of its regions, release its pages, fence
//   mprotect  new rights for a range; resident pages' PTEs change at once
//   brk       grow (a lazy region) or shrink (munmap) the heap
//
// add_lazy_region/add_shared_region put a region at a fixed address;
// add_eager_region maps one at once in superpages from fixed frames (never
// reclaimed); add_direct_map maps all physical memory into the kernel half
// of every address space. Each call edits PTEs, then fences.
#pragma once

#include <memory>
#include <optional>

#include "sw/kernel/process_table.h"

namespace vmsim {

class MemorySyscalls {
 public:
  MemorySyscalls(PhysMemory& mem, MmuPort& mmu, ProcessTable& procs, ResidentPages& resident,
                 FramePool& frames, KernelTime& time)
      : mem_(mem), mmu_(mmu), procs_(procs), resident_(resident), frames_(frames), time_(time) {}

  std::optional<VirtAddr> mmap(uint64_t length, Perms perms, std::shared_ptr<MemoryObject> shared = {});
  bool munmap(VirtAddr start, uint64_t length);
  bool mprotect(VirtAddr start, uint64_t length, Perms perms);
  std::optional<VirtAddr> brk(std::optional<VirtAddr> new_end);  // nullopt: query

  bool add_lazy_region(const Region& r);
  bool add_shared_region(const Region& r, std::shared_ptr<MemoryObject> obj);
  bool add_eager_region(const Region& r, unsigned level);
  bool add_direct_map(VirtAddr base);

 private:
  AddressSpace& space() { return *procs_.current().as; }
  PagingMode mode() const { return procs_.mode(); }

  PhysMemory& mem_;
  MmuPort& mmu_;
  ProcessTable& procs_;
  ResidentPages& resident_;
  FramePool& frames_;
  KernelTime& time_;
};

}  // namespace vmsim
