// ptmalloc.h: a ptmalloc2-style allocator (glibc's design), over a memory
// backend (heap_memory.h): every header read and free-list write is a load or
// store of that memory, so in guest mode each one goes through the RTL MMU.
//
// Structure, from the fastest path to the slowest (see docs/malloc.md):
//   tcache        per-size stacks of up to 7 chunks (<= 1040 B), their heads
//                 in the heap's first chunk                             tcache.h
//   fast bins     LIFO singly linked lists (<= 128 B), coalesced only by consolidation
//   unsorted bin  where freed chunks land first; sorted into bins by the next malloc
//   small bins    62 exact-size doubly linked bins (< 1024 B)         bins.h, bin_index.h
//   large bins    63 size-range bins, each kept sorted by size, with a skip
//                 list over its sizes: best fit
//   top chunk     the wilderness at the end of the heap, grown by brk, trimmed
//   mmap          requests >= the mmap threshold (128 KiB, raised dynamically)
// The malloc path is malloc_path.h, the free path free_path.h, memory from
// and back to the system system_memory.h; the state they share is the Arena
// (arena.h); misuse is caught against chunk_records.h.
//
// Misuse (double free, freeing a pointer malloc never returned or an interior
// pointer, corrupted headers, corrupted free lists) is detected as glibc
// detects it, plus a host-side record of live chunks; the first error is kept
// in error() naming the call, the address and what is wrong, and every later
// call fails. The allocator never crashes the host.
#pragma once

#include <cstdint>
#include <optional>

#include "sw/malloc/heap_memory.h"
#include "sw/malloc/malloc_path.h"

namespace vmsim {

// As glibc's struct mallinfo2.
struct MallInfo2 {
  uint64_t arena = 0;     // bytes obtained with brk
  uint64_t ordblks = 0;   // free chunks in bins (not fast bins, not tcache)
  uint64_t smblks = 0;    // free chunks in fast bins
  uint64_t hblks = 0;     // mmapped chunks
  uint64_t hblkhd = 0;    // bytes in mmapped chunks
  uint64_t fsmblkd = 0;   // bytes in fast bins
  uint64_t uordblks = 0;  // bytes in use (brk heap)
  uint64_t fordblks = 0;  // bytes free (brk heap)
  uint64_t keepcost = 0;  // top chunk size (what malloc_trim could release)
};

enum class MallOpt { kMmapThreshold, kTrimThreshold, kTopPad, kMaxFast, kTcacheCount };

template <typename Mem>
class Ptmalloc {
 public:
  explicit Ptmalloc(Mem& mem);
  Ptmalloc(const Ptmalloc&) = delete;
  Ptmalloc& operator=(const Ptmalloc&) = delete;

  // The C API, with addresses as integers (0 is NULL).
  uint64_t malloc(uint64_t bytes);
  void free(uint64_t mem);
  uint64_t calloc(uint64_t n, uint64_t size);
  uint64_t realloc(uint64_t mem, uint64_t bytes);
  uint64_t memalign(uint64_t alignment, uint64_t bytes);
  uint64_t aligned_alloc(uint64_t alignment, uint64_t bytes) { return memalign(alignment, bytes); }
  uint64_t usable_size(uint64_t mem);
  bool trim(uint64_t pad);  // malloc_trim: true when memory was released
  bool mallopt(MallOpt param, uint64_t value);
  MallInfo2 mallinfo2();

  const std::optional<MallocError>& error() const { return a_.error; }
  uint64_t heap_bytes() const { return a_.heap_bytes(); }  // obtained now
  uint64_t peak_heap_bytes() const { return a_.peak_heap; }
  uint64_t mmap_threshold() const { return a_.mmap_threshold; }
  uint64_t trim_threshold() const { return a_.trim_threshold; }
  uint64_t top_size() { return a_.top_size(); }
  uint64_t brk_bytes() const { return a_.heap.end - a_.heap.start; }
  unsigned tcache_count(uint64_t chunk_size) { return a_.tcache.count(pm::tcache_index(chunk_size)); }
  uint64_t tcache_struct() const {
    return a_.tcache.where().value();
  }  // its payload; 0 before the first malloc
  Mem& memory() { return a_.mem; }

  using Counters = MallocCounters;
  const Counters& counters() const { return a_.counters; }

 private:
  bool init();
  [[gnu::always_inline]] inline pm::Payload from_tcache(uint64_t nb);
  void free_mmapped(pm::Chunk p, uint64_t sz);
  std::optional<uint64_t> realloc_in_place(pm::Chunk p, pm::Payload m, uint64_t old, uint64_t nb);
  uint64_t realloc_move(pm::Payload m, uint64_t old, uint64_t nb, uint64_t bytes);
  std::optional<uint64_t> realloc_backward(pm::Chunk p, pm::Payload m, uint64_t old, uint64_t nb,
                                           uint64_t bytes);
  uint64_t memalign_mmapped(pm::Chunk p, pm::Payload m, pm::Chunk aligned, uint64_t lead, uint64_t newsize);
  void free_tail(pm::Chunk p, uint64_t sz, uint64_t nb, const char* call);

  pm::Arena<Mem> a_;
  pm::SystemMemory<Mem> sys_{a_};
  pm::FreePath<Mem> free_{a_, sys_};
  pm::MallocPath<Mem> malloc_{a_, sys_, free_};
};

extern template class Ptmalloc<GuestHeap>;
extern template class Ptmalloc<NativeHeap>;

}  // namespace vmsim
