// syscalls.h: the memory system calls of the running process, and the
// regions the kernel itself lays out.
//
//   mmap      a fresh lazily backed region above the heap (or a shared object)
//   munmap    carve a range out of its regions, release its pages, fence
//   mprotect  new rights for a range; resident pages' PTEs change at once
//   brk       grow (a lazy region) or shrink (munmap) the heap
//   mremap    resize a mapping: shrink in place, grow in place when the
//             addresses after it are free, else move it by moving its PTEs
//             (the frames stay where they are: no data is copied)
//   mmap_file map part of a file: shared (the page cache's pages themselves)
//             or private (copy on write over them)
//   msync     write back the dirty pages of a range of file mappings
//
// add_lazy_region/add_shared_region put a region at a fixed address;
// add_eager_region maps one at once in superpages from fixed frames (never
// reclaimed), compacting memory when no free block is large enough; add_direct_map maps all physical memory
// into the kernel half of every address space. Each call edits PTEs, then fences.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sw/kernel/compaction.h"
#include "sw/kernel/frame_allocator.h"
#include "sw/kernel/process_table.h"

namespace vmsim {

class MemorySyscalls {
 public:
  MemorySyscalls(PhysMemory& mem, MmuPort& mmu, ProcessTable& procs, ResidentPages& resident,
                 PageCache& cache, FramePool& frames, FrameAllocator& alloc, Compactor& compactor,
                 KernelTime& time)
      : mem_(mem),
        mmu_(mmu),
        procs_(procs),
        resident_(resident),
        cache_(cache),
        frames_(frames),
        alloc_(alloc),
        compactor_(compactor),
        time_(time) {}

  std::optional<VirtAddr> mmap(uint64_t length, Perms perms, std::shared_ptr<MemoryObject> shared = {});
  bool munmap(VirtAddr start, uint64_t length);
  bool mprotect(VirtAddr start, uint64_t length, Perms perms);
  std::optional<VirtAddr> brk(std::optional<VirtAddr> new_end);  // nullopt: query
  // Linux's mremap(old, old_len, new_len, may_move ? MREMAP_MAYMOVE : 0) for
  // anonymous memory: [old, old + old_len) must lie in one region of
  // anonymous memory outside the brk heap; to grow, it must be the whole of
  // what its memory object backs (not a piece of a split mapping, not a
  // shared object). The mapping's start, or nullopt (EINVAL, or ENOMEM: it
  // cannot grow in place and may not move, or no gap is large enough).
  std::optional<VirtAddr> mremap(VirtAddr old, uint64_t old_len, uint64_t new_len, bool may_move);

  // mmap(NULL, length, perms, shared ? MAP_SHARED : MAP_PRIVATE, fd, offset).
  // Unlike Linux, a range reaching past the file's last page is refused
  // when mapped, not when touched (SIGBUS). `error` says what is wrong.
  struct FileMapping {
    std::optional<VirtAddr> at;
    std::string error;
  };
  FileMapping mmap_file(FileId file, uint64_t offset, uint64_t length, Perms perms, bool shared);
  // msync(start, length, MS_SYNC): the dirty pages of the shared file
  // mappings in range are written to their files; private file mappings
  // have nothing to write. Empty on success; else why it failed: part of
  // the range is unmapped or anonymous memory (Linux lets both pass), or a
  // write failed.
  std::string msync(VirtAddr start, uint64_t length);

  bool add_lazy_region(const Region& r);
  bool add_shared_region(const Region& r, std::shared_ptr<MemoryObject> obj);
  bool add_eager_region(const Region& r, unsigned level);
  bool add_direct_map(VirtAddr base);

 private:
  AddressSpace& space() { return *procs_.current().as; }
  PagingMode mode() const { return procs_.mode(); }
  uint64_t user_top() const;  // the top of the user half, where mmap searches below
  std::optional<VirtAddr> find_mmap_gap(uint64_t length) const;
  // mremap's move: the page's PTE from `from` to `to`, or, when no table frame
  // is left for it, unmapped (the next touch maps the same frame again).
  void move_pte(Page& page, VirtAddr from, VirtAddr to);

  PhysMemory& mem_;
  MmuPort& mmu_;
  ProcessTable& procs_;
  ResidentPages& resident_;
  PageCache& cache_;
  FramePool& frames_;
  FrameAllocator& alloc_;
  Compactor& compactor_;
  KernelTime& time_;
};

}  // namespace vmsim
