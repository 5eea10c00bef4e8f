// arena.h: the state of one heap, as glibc's malloc_state: the bins, the
// top chunk, the heap's extent, the tunables, the counters, the misuse
// record and the first error. The paths (malloc_path.h, free_path.h,
// system_memory.h) and the API (ptmalloc.h) work on it.
#pragma once

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "sw/malloc/bins.h"
#include "sw/malloc/chunk_records.h"
#include "sw/malloc/split_runs.h"
#include "sw/malloc/tcache.h"
#include "sw/malloc/top_batches.h"

namespace vmsim {

struct MallocError {
  std::string call;  // "free", "realloc", "malloc", ...
  uint64_t address = 0;
  std::string what;
};

struct MallocCounters {
  uint64_t tcache_hits = 0, fastbin_hits = 0, smallbin_hits = 0, unsorted_exact = 0, largebin_hits = 0,
           binmap_hits = 0, last_remainder_splits = 0, top_splits = 0, mmaps = 0, munmaps = 0, mremaps = 0,
           brk_grows = 0, trims = 0, consolidations = 0, calloc_skipped_zeroing = 0, realloc_in_place = 0,
           realloc_backward = 0, top_batches = 0, split_stashed = 0;
};

namespace pm {

inline std::string hex(uint64_t v) {
  char buf[2 + 16] = {'0', 'x'};
  const auto r = std::to_chars(buf + 2, buf + sizeof buf, v, 16);
  return std::string(buf, r.ptr);
}

template <typename Mem>
struct Arena {
  Arena(Mem& m, uint64_t tcache_key) : mem(m), chunk(m), bins(chunk), fast(chunk), tcache(m, tcache_key) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  Mem& mem;
  ChunkFields<Mem> chunk;
  Bins<Mem> bins;
  FastBins<Mem> fast;
  Tcache<Mem> tcache;
  HeapRange heap;  // start: where the heap began; end: the break now (tell records when it moves)
  ChunkRecords records;
  TopBatches batches;  // our departure for small and large blocks carved in lockstep
  SplitRuns runs;      // our departure for runs of one small size split from free chunks

  bool ready = false;
  Chunk top{};              // the top chunk (none until the heap first grows)
  Chunk last_remainder{};   // what the last small split left
  uint64_t fresh_from = 0;  // memory from here to the break was never handed out (zero)
  Chunk fresh_carve{};      // the chunk the last top split or mapping produced from never-used memory

  // Tunables (mallopt).
  uint64_t max_fast = 128;
  uint64_t mmap_threshold = kDefaultMmapThreshold;
  uint64_t trim_threshold = kDefaultTrimThreshold;
  uint64_t top_pad = kDefaultTopPad;
  bool dynamic_threshold = true;

  uint64_t mmapped_bytes = 0, mmapped_count = 0, peak_heap = 0;
  std::optional<MallocError> error;
  MallocCounters counters;

  // Records the first error (later ones are consequences); returns false.
  bool fail(const char* call, uint64_t addr, std::string what) {
    if (!error) error = MallocError{call, addr, std::move(what)};
    return false;
  }
  bool fail(const char* call, Chunk p, std::string what) {
    return fail(call, payload_of(p).value(), std::move(what));
  }
  // The guest process owning the heap has ended (killed, or it faulted):
  // nothing can be read any more, so every call stops here.
  bool memory_gone(const char* call) {
    if (!mem.failed()) return false;
    fail(call, 0, "the heap's memory is gone: the process has ended");
    return true;
  }
  // More steps than a large bin's skip list can have (each large chunk holds
  // 1 KiB of the heap): a walk that long is going round a corrupted cycle.
  uint64_t walk_limit() const { return (heap.end - heap.start) / kMinLargeSize + 2; }
  uint64_t heap_bytes() const { return (heap.end - heap.start) + mmapped_bytes; }  // obtained now
  void note_heap_growth() {
    peak_heap = std::max(peak_heap, heap_bytes());
    records.set_heap(heap);
  }
  uint64_t top_size() { return top ? chunk.size(top) : 0; }

  // The pointer must be one malloc returned and that is still live, and its
  // header must be sane. On success p is its chunk and head its size field
  // (size | flags), read once: the caller needs no second look.
  [[gnu::always_inline]] inline bool check_pointer(const char* call, Payload m, Chunk& p, uint64_t& head);
  // The same for free, which also records the chunk as freed (one look).
  [[gnu::always_inline]] inline bool check_pointer_to_free(Payload m, Chunk& p, uint64_t& head);

 private:
  [[gnu::always_inline]] inline bool aligned(const char* call, Payload m);
  [[gnu::always_inline]] inline bool check_chunk(const char* call, Payload m, Chunk& p, uint64_t& head,
                                                 ChunkRecords::State state);
};

template <typename Mem>
inline bool Arena<Mem>::check_pointer(const char* call, Payload m, Chunk& p, uint64_t& head) {
  return aligned(call, m) && check_chunk(call, m, p, head, records.state(m));
}

template <typename Mem>
inline bool Arena<Mem>::check_pointer_to_free(Payload m, Chunk& p, uint64_t& head) {
  return aligned("free", m) && check_chunk("free", m, p, head, records.take_for_free(m));
}

template <typename Mem>
inline bool Arena<Mem>::aligned(const char* call, Payload m) {
  if (!(m.value() & kAlignMask)) return true;
  return fail(call, m.value(), "invalid pointer: not 16-byte aligned, so malloc never returned it");
}

template <typename Mem>
inline bool Arena<Mem>::check_chunk(const char* call, Payload m, Chunk& p, uint64_t& head,
                                    ChunkRecords::State state) {
  p = chunk_of(m);
  if (state == ChunkRecords::State::kFreed)
    return fail(call, m.value(), "double free: this chunk was already freed");
  if (state != ChunkRecords::State::kLive) {
    return fail(call, m.value(),
                heap.contains(m) ? "invalid pointer: not returned by malloc (interior or foreign pointer)"
                                 : "invalid pointer: not returned by malloc");
  }
  head = chunk.head(p);
  const uint64_t sz = head & ~kFlags;
  if (sz < kMinSize || (sz & kAlignMask) || (p + sz) < p) {
    return fail(call, m.value(),
                "invalid size: the chunk header was overwritten (size field " + hex(head) + ")");
  }
  if (!(head & kIsMmapped) && (p + sz).value() > heap.end) {
    return fail(call, m.value(), "invalid size: the chunk would run past the heap (header overwritten)");
  }
  return true;
}

}  // namespace pm
}  // namespace vmsim
