// system_memory.h: memory from the system and back.
//
//   init       the bin headers in a mapping of their own (glibc's main_arena is
//              in libc's data, not in the heap), and an empty heap at the break
//   sysmalloc  a request no bin could serve: a mapping of its own at or above
//              the mmap threshold, else a bigger top chunk by brk (by the
//              request plus the top pad, rounded to pages); brk refused: a mapping
//   carve_from_top  a chunk split off the front of top
//   systrim    top handed back by brk down to a pad (whole pages)
//   munmap_chunk  an mmapped chunk handed back
//   remap_chunk   an mmapped chunk resized by mremap: its pages move, no data is copied
#pragma once

#include "sw/malloc/arena.h"

namespace vmsim::pm {

template <typename Mem>
class SystemMemory {
 public:
  explicit SystemMemory(Arena<Mem>& a) : a_(a), c_(a.chunk) {}

  bool init() {
    auto start = a_.mem.brk_start();
    if (!start) return a_.fail("malloc", 0, "no heap: brk is not available");
    const auto bins = a_.mem.map((kNBins * 16 + kPage - 1) & ~(kPage - 1));
    if (!bins) return a_.fail("malloc", 0, "no memory for the bin headers: mmap refused");
    a_.heap.start = (*start + kAlignMask) & ~kAlignMask;
    a_.heap.end = a_.heap.start;
    if (a_.heap.end != *start && !a_.mem.set_brk(a_.heap.end))
      return a_.fail("malloc", 0, "no heap: brk refused to align the break");
    a_.bins.init(*bins);
    a_.fresh_from = a_.heap.end;
    a_.note_heap_growth();
    a_.ready = !a_.mem.failed();
    return a_.ready;
  }

  Chunk sysmalloc(uint64_t nb, const char* call) {
    if (nb >= a_.mmap_threshold) {
      if (const Chunk p = map_chunk(nb)) return p;
    }
    if (!grow_top(nb)) return map_chunk(nb);  // brk refused: a mapping, or ENOMEM
    if (c_.size(a_.top) < nb + kMinSize)
      return a_.fail(call, 0, "top chunk too small after growing the heap"), Chunk{};
    return carve_from_top(nb);
  }

  // Grows top by brk to hold nb bytes and a minimum chunk, plus the top pad,
  // in whole pages; false when brk refuses.
  bool grow_top(uint64_t nb) {
    const uint64_t old_size = a_.top ? c_.size(a_.top) : 0;
    uint64_t grow = nb + a_.top_pad + kMinSize - old_size;
    grow = (grow + kPage - 1) & ~(kPage - 1);
    if (!a_.mem.set_brk(a_.heap.end + grow)) return false;
    if (!a_.top) a_.top = Chunk{a_.heap.end};
    c_.set_head(a_.top, (old_size + grow) | kPrevInUse);
    a_.heap.end += grow;
    ++a_.counters.brk_grows;
    a_.note_heap_growth();
    return true;
  }

  // Splits nb bytes off the front of top; notes whether they were never used
  // before (calloc need not zero them).
  Chunk carve_from_top(uint64_t nb) {
    const uint64_t tsz = c_.size(a_.top);
    const Chunk v = a_.top;
    a_.top = v + nb;
    c_.set_head(a_.top, (tsz - nb) | kPrevInUse);
    c_.set_head(v, nb | kPrevInUse);
    a_.fresh_carve = v.value() >= a_.fresh_from ? v : Chunk{};
    a_.fresh_from = std::max(a_.fresh_from, (v + nb).value());
    ++a_.counters.top_splits;
    return v;
  }

  // Gives the top chunk back to the system down to `pad` bytes (whole pages).
  bool systrim(uint64_t pad) {
    if (!a_.top) return false;
    const uint64_t tsz = c_.size(a_.top);
    if (tsz <= pad + kMinSize + kPage) return false;
    const uint64_t extra = (tsz - pad - kMinSize - 1) & ~(kPage - 1);
    if (!extra || !a_.mem.set_brk(a_.heap.end - extra)) return false;
    a_.heap.end -= extra;
    a_.records.set_heap(a_.heap);
    c_.set_head(a_.top, (tsz - extra) | kPrevInUse);
    a_.fresh_from = std::min(a_.fresh_from, a_.heap.end);  // what comes back later is fresh again
    ++a_.counters.trims;
    return true;
  }

  void munmap_chunk(Chunk p, const char* call) {
    const uint64_t sz = c_.size(p), off = c_.prev_size(p);
    if (((p.value() - off) | (sz + off)) & (kPage - 1)) {
      return (void)a_.fail(call, p, "munmap_chunk(): invalid pointer");
    }
    a_.mem.unmap(p.value() - off, sz + off);
    a_.mmapped_bytes -= sz + off;
    --a_.mmapped_count;
    ++a_.counters.munmaps;
  }

  // An mmapped chunk resized to hold nb bytes by the system's mremap (it may
  // move): the chunk, or none when the system refused. As glibc's
  // mremap_chunk: the mapping's offset (memalign) is kept in front.
  Chunk remap_chunk(Chunk p, uint64_t nb) {
    const uint64_t sz = c_.size(p), off = c_.prev_size(p);
    const uint64_t len = (nb + off + kSizeSz + kPage - 1) & ~(kPage - 1);
    if (len == sz + off) return p;
    const auto base = a_.mem.remap(p.value() - off, sz + off, len);
    if (!base) return Chunk{};
    const Chunk q{*base + off};
    c_.set_head(q, (len - off) | kIsMmapped);
    a_.mmapped_bytes = a_.mmapped_bytes - (sz + off) + len;
    ++a_.counters.mremaps;
    a_.note_heap_growth();
    return q;
  }

 private:
  // A chunk in a mapping of its own (prev_size holds the offset from the
  // mapping's start: 0 unless memalign moved it).
  Chunk map_chunk(uint64_t nb) {
    const uint64_t len = (nb + kSizeSz + kPage - 1) & ~(kPage - 1);
    auto base = a_.mem.map(len);
    if (!base) return Chunk{};
    const Chunk p{*base};
    c_.set_prev_size(p, 0);
    c_.set_head(p, len | kIsMmapped);
    a_.mmapped_bytes += len;
    ++a_.mmapped_count;
    ++a_.counters.mmaps;
    a_.fresh_carve = p;
    a_.note_heap_growth();
    return p;
  }

  Arena<Mem>& a_;
  ChunkFields<Mem>& c_;
};

}  // namespace vmsim::pm
