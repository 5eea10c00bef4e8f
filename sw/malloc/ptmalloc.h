// ptmalloc.h: a ptmalloc2-style allocator (glibc's design), over a HeapMemory
// backend (heap_memory.h): every header read and free-list write is a load or
// store of that memory, so in guest mode each one goes through the RTL MMU.
//
// Structure, from the fastest path to the slowest (see docs/malloc.md):
//   tcache        per-size stacks of up to 7 chunks (<= 1040 B), no locking, no coalescing
//   fast bins     LIFO singly linked lists (<= 128 B), coalesced only by consolidation
//   unsorted bin  where freed chunks land first; sorted into bins by the next malloc
//   small bins    62 exact-size doubly linked bins (< 1024 B)
//   large bins    63 size-range bins, each kept sorted by size: best fit
//   top chunk     the wilderness at the end of the heap, grown by brk, trimmed past the trim threshold
//   mmap          requests >= the mmap threshold (128 KiB, raised dynamically) get a mapping of their own
// A bin map (one bit per bin) lets a search skip empty bins; the last-remainder
// chunk keeps runs of small requests together.
//
// Misuse (double free, freeing a pointer malloc never returned or an interior
// pointer, corrupted headers, corrupted free lists) is detected as glibc
// detects it, plus a host-side record of live chunks; the first error is kept
// in error() naming the call, the address and what is wrong, and every later
// call fails. The allocator never crashes the host.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "sw/malloc/chunk.h"
#include "sw/malloc/heap_memory.h"

namespace vmsim {

struct MallocError {
  std::string call;  // "free", "realloc", "malloc", ...
  uint64_t address = 0;
  std::string what;
};

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

  const std::optional<MallocError>& error() const { return error_; }
  uint64_t heap_bytes() const { return (brk_end_ - heap_start_) + mmapped_bytes_; }  // obtained now
  uint64_t peak_heap_bytes() const { return peak_heap_; }
  uint64_t mmap_threshold() const { return mmap_threshold_; }
  uint64_t trim_threshold() const { return trim_threshold_; }
  uint64_t top_size();
  uint64_t brk_bytes() const { return brk_end_ - heap_start_; }
  unsigned tcache_count(uint64_t chunk_size) const { return tcache_counts_[pm::tcache_index(chunk_size)]; }
  Mem& memory() { return mem_; }

  struct Counters {
    uint64_t tcache_hits = 0, fastbin_hits = 0, smallbin_hits = 0, unsorted_exact = 0, largebin_hits = 0,
             binmap_hits = 0, last_remainder_splits = 0, top_splits = 0, mmaps = 0, munmaps = 0,
             brk_grows = 0, trims = 0, consolidations = 0, calloc_skipped_zeroing = 0, realloc_in_place = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  // chunk fields
  uint64_t size_field(uint64_t c) { return mem_.load(c + 8); }
  uint64_t chunksize(uint64_t c) { return size_field(c) & ~pm::kFlags; }
  void set_size_field(uint64_t c, uint64_t v) { mem_.store(c + 8, v); }
  uint64_t prev_size(uint64_t c) { return mem_.load(c); }
  void set_prev_size(uint64_t c, uint64_t v) { mem_.store(c, v); }
  uint64_t fd(uint64_t c) { return mem_.load(c + 16); }
  uint64_t bk(uint64_t c) { return mem_.load(c + 24); }
  void set_fd(uint64_t c, uint64_t v) { mem_.store(c + 16, v); }
  void set_bk(uint64_t c, uint64_t v) { mem_.store(c + 24, v); }
  bool inuse_bit_at(uint64_t c, uint64_t off) { return size_field(c + off) & pm::kPrevInUse; }
  void set_inuse_bit_at(uint64_t c, uint64_t off) {
    set_size_field(c + off, size_field(c + off) | pm::kPrevInUse);
  }
  void clear_inuse_bit_at(uint64_t c, uint64_t off) {
    set_size_field(c + off, size_field(c + off) & ~pm::kPrevInUse);
  }
  void set_foot(uint64_t c, uint64_t sz) { set_prev_size(c + sz, sz); }

  // bins (headers live in the heap, like glibc's arena)
  uint64_t bin_at(unsigned i) const { return arena_ + (uint64_t(i) - 1) * 16 - 16; }
  bool bin_empty(unsigned i) { return fd(bin_at(i)) == bin_at(i); }
  void mark_bin(unsigned i) { binmap_[i / 32] |= 1u << (i % 32); }
  void unmark_bin(unsigned i) { binmap_[i / 32] &= ~(1u << (i % 32)); }
  bool unlink_chunk(uint64_t p, const char* call);
  void insert_unsorted(uint64_t p);
  void insert_sorted(uint64_t p, uint64_t sz);

  bool init();
  uint64_t int_malloc(uint64_t nb, const char* call);
  void int_free(uint64_t p, uint64_t sz, const char* call);
  uint64_t sysmalloc(uint64_t nb, const char* call);
  uint64_t carve_from_top(uint64_t nb);
  uint64_t split_and_return(uint64_t victim, uint64_t vsz, uint64_t nb, bool set_remainder);
  void consolidate();
  bool merge_backward(uint64_t& p, uint64_t& sz, const char* call);
  bool merge_forward_and_place(uint64_t p, uint64_t& sz, const char* call);
  bool systrim(uint64_t pad);
  void munmap_chunk(uint64_t p, const char* call);
  uint64_t alloc_mmapped(uint64_t nb);

  // tcache (the hot path: always inlined)
  [[gnu::always_inline]] inline void tcache_put(uint64_t p, unsigned idx);
  [[gnu::always_inline]] inline uint64_t tcache_get(unsigned idx, const char* call);

  // misuse
  bool fail(const char* call, uint64_t addr, std::string what);
  bool memory_gone(const char* call);
  [[gnu::always_inline]] inline bool check_pointer(const char* call, uint64_t mem, uint64_t& p);
  [[gnu::always_inline]] inline void note_allocated(uint64_t mem);
  [[gnu::always_inline]] inline void note_freed(uint64_t mem);
  void note_heap_growth();

  Mem& mem_;
  bool ready_ = false;
  uint64_t arena_ = 0;       // bin headers
  uint64_t heap_start_ = 0;  // the break when we started
  uint64_t brk_end_ = 0;     // the break now
  uint64_t top_ = 0;         // the top chunk
  uint64_t fresh_from_ = 0;  // memory from here to the break was never handed out (zero)
  uint64_t last_remainder_ = 0;
  uint64_t fresh_carve_ = 0;  // the chunk the last top split or mapping produced from never-used memory
  std::array<uint32_t, 4> binmap_{};
  std::array<uint64_t, pm::kNFastBins> fastbins_{};
  std::array<uint64_t, pm::kTcacheBins> tcache_heads_{};
  std::array<uint16_t, pm::kTcacheBins> tcache_counts_{};
  uint64_t tcache_key_;
  unsigned tcache_count_ = 7;
  uint64_t max_fast_ = 128;
  uint64_t mmap_threshold_ = pm::kDefaultMmapThreshold;
  uint64_t trim_threshold_ = pm::kDefaultTrimThreshold;
  uint64_t top_pad_ = pm::kDefaultTopPad;
  bool dynamic_threshold_ = true;
  uint64_t mmapped_bytes_ = 0, mmapped_count_ = 0, peak_heap_ = 0;
  // Host-side record of chunks handed out: two bits per 16-byte granule of
  // the brk heap (bit 0 live, bit 1 freed since), and the mmapped ones: the
  // check that a pointer came from malloc and is not freed twice.
  std::vector<uint64_t> granules_;
  std::unordered_set<uint64_t> live_mmapped_;
  std::optional<MallocError> error_;
  Counters counters_;
};

extern template class Ptmalloc<GuestHeap>;
extern template class Ptmalloc<NativeHeap>;

}  // namespace vmsim
