// ptmalloc.cpp: the allocator's public calls, instantiated for guest memory
// (through the MMU) and host memory. Each call checks its argument against
// the misuse record, then takes the tcache, the malloc path or the free path.
#include "sw/malloc/ptmalloc.h"

#include <algorithm>
#include <bit>

namespace vmsim {

using namespace pm;

template <typename Mem>
Ptmalloc<Mem>::Ptmalloc(Mem& mem)
    : a_(mem, 0x5a17c0de5eed1234ull ^ (reinterpret_cast<uint64_t>(this) << 4)) {}

// ============================================================================
// malloc and free
// ============================================================================

// The top of the tcache's stack for chunks of nb bytes, or null when it is
// empty or an entry was found corrupted (then recorded).
template <typename Mem>
inline Payload Ptmalloc<Mem>::from_tcache(uint64_t nb) {
  Payload bad;
  const Payload m = a_.tcache.pop(tcache_index(nb), bad);
  if (bad) {
    a_.fail("malloc", bad.value(),
            "unaligned tcache chunk detected (a freed chunk's next pointer was overwritten)");
    return Payload{};
  }
  if (m) ++a_.counters.tcache_hits;
  return m;
}

// The first malloc sets the heap up and, as glibc's tcache_init does, carves
// the tcache's own struct as the heap's first chunk: in use for good, never
// handed out (so freeing it is an invalid pointer, not a double free).
template <typename Mem>
bool Ptmalloc<Mem>::init() {
  if (!sys_.init()) return false;
  const Chunk c = malloc_.allocate(request2size(kTcacheStructBytes), "malloc");
  if (!c || a_.error || a_.memory_gone("malloc")) return false;
  a_.tcache.place(payload_of(c));
  return !a_.memory_gone("malloc");
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::malloc(uint64_t bytes) {
  if (a_.error || a_.memory_gone("malloc") || (!a_.ready && !init())) return 0;
  if (bytes > (uint64_t{1} << 62)) return 0;  // ENOMEM
  const uint64_t nb = request2size(bytes);
  Payload m = nb <= kTcacheMaxSize ? from_tcache(nb) : Payload{};
  if (!m) {
    if (a_.error) return 0;  // a corrupted tcache entry, recorded
    const Chunk c = malloc_.allocate(nb, "malloc");
    if (!c || a_.error) return 0;
    m = payload_of(c);
  }
  if (a_.memory_gone("malloc")) return 0;
  a_.records.note_allocated(m);
  return m.value();
}

template <typename Mem>
void Ptmalloc<Mem>::free(uint64_t mem) {
  if (a_.error || !mem || a_.memory_gone("free")) return;
  const Payload m{mem};
  Chunk p;
  uint64_t head;
  if (!a_.check_pointer_to_free(m, p, head)) return;  // and records it freed
  const uint64_t sz = head & ~kFlags;
  if (head & kIsMmapped) return free_mmapped(p, sz);
  // No look for the tcache's key here, as glibc has: a double free is what the
  // record above has just refused, and a chunk it calls live is in no stack.
  if (sz <= kTcacheMaxSize && a_.tcache.push(p, tcache_index(sz))) return;
  free_.release(p, sz, "free");
}

template <typename Mem>
void Ptmalloc<Mem>::free_mmapped(Chunk p, uint64_t sz) {
  // Dynamic threshold: a freed mapping this large says such sizes are
  // long-lived and worth keeping in the heap (glibc's heuristic).
  if (a_.dynamic_threshold && sz > a_.mmap_threshold && sz <= kDefaultMmapThresholdMax) {
    a_.mmap_threshold = sz;
    a_.trim_threshold = 2 * sz;
  }
  sys_.munmap_chunk(p, "free");
}

// ============================================================================
// calloc, realloc, memalign
// ============================================================================

template <typename Mem>
uint64_t Ptmalloc<Mem>::calloc(uint64_t n, uint64_t size) {
  if (size && n > UINT64_MAX / size) return 0;  // overflow: ENOMEM
  a_.fresh_carve = Chunk{};
  const uint64_t m = malloc(n * size);
  if (!m) return 0;
  const Chunk p = chunk_of(Payload{m});
  // A chunk carved from never-used heap or a new mapping is already zero.
  if (a_.fresh_carve == p) {
    ++a_.counters.calloc_skipped_zeroing;
    return m;
  }
  const uint64_t usable = a_.chunk.usable(p);
  for (uint64_t off = 0; off < usable; off += 8) a_.mem.store(m + off, 0);
  return m;
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::realloc(uint64_t mem, uint64_t bytes) {
  if (a_.error || a_.memory_gone("realloc")) return 0;
  if (!mem) return malloc(bytes);
  if (bytes == 0) {
    free(mem);
    return 0;
  }
  const Payload m{mem};
  Chunk p;
  uint64_t head;
  if (!a_.check_pointer("realloc", m, p, head)) return 0;
  if (bytes > (uint64_t{1} << 62)) return 0;
  const uint64_t nb = request2size(bytes);
  const uint64_t old = head & ~kFlags;
  const bool mmapped = head & kIsMmapped;
  const uint64_t usable = usable_bytes(old, mmapped);
  if (mmapped) {  // resized by mremap: pages move, no bytes are copied (as glibc)
    if (const Chunk q = sys_.remap_chunk(p, nb)) {
      if (q != p) a_.records.note_moved_mmapped(m, payload_of(q));  // the live set moves
      return payload_of(q).value();
    }
    if (usable >= bytes) return mem;  // the system refused, but the old mapping still holds it
  } else if (auto done = realloc_in_place(p, m, old, nb)) {
    return *done;
  } else {
    return realloc_move(m, old, nb, bytes);
  }
  // An mmapped block the system would not resize: allocate, copy, free.
  const uint64_t nm = malloc(bytes);
  if (!nm) return 0;
  a_.mem.copy(nm, mem, std::min(usable, (bytes + 7) & ~uint64_t{7}));
  free(mem);
  return a_.error ? 0 : nm;
}

// A brk chunk that cannot grow where it is moves: a new chunk from the
// arena's own search, the bytes copied, the old chunk freed straight to the
// bins, merged with its free neighbours (our departure: glibc frees it as
// free() would, to the tcache or a fast bin, where it stays unmerged). In an
// interleaved realloc chain the hole a block leaves is what its neighbour
// grows into next: realloc.rep with no top pad uses 0.763 of its heap this
// way, 0.504 with the old chunk in the tcache (glibc: 0.407).
template <typename Mem>
uint64_t Ptmalloc<Mem>::realloc_move(Payload m, uint64_t old, uint64_t nb, uint64_t bytes) {
  if (auto done = realloc_backward(chunk_of(m), m, old, nb, bytes)) return *done;
  // Our departure: a chunk of the size waiting in the tcache is taken first
  // (glibc's realloc skips the tcache). It fills a hole an earlier free left
  // instead of carving new memory: realloc.rep with no top pad uses 0.504 of
  // its heap this way, 0.429 glibc's way (glibc itself 0.407).
  const Payload t = nb <= kTcacheMaxSize ? from_tcache(nb) : Payload{};
  if (a_.error) return 0;  // a corrupted tcache entry, recorded
  const Chunk q = t ? chunk_of(t) : malloc_.allocate(nb, "realloc");
  if (!q || a_.error || a_.memory_gone("realloc")) return 0;
  const Payload nm = payload_of(q);
  a_.records.note_allocated(nm);
  a_.mem.copy(nm.value(), m.value(), std::min(usable_bytes(old, false), (bytes + 7) & ~uint64_t{7}));
  a_.records.note_freed(m);
  free_.release_merged(chunk_of(m), old, "realloc");
  return a_.error ? 0 : nm.value();
}

// Our departure: before moving elsewhere, a block between two free chunks
// that with it hold nb slides down into the first. Its bytes move, as they
// would anyway, but three pieces become one and no hole is left behind;
// glibc's realloc looks only forward. Both sides, not just the one before:
// sliding into a hole before the block alone left the block's old place as
// the next hole, and made realloc.rep worse (0.763 -> 0.723); with both,
// realloc.rep gains (0.773) and so does random.rep with glibc's top pad.
template <typename Mem>
std::optional<uint64_t> Ptmalloc<Mem>::realloc_backward(Chunk p, Payload m, uint64_t old, uint64_t nb,
                                                        uint64_t bytes) {
  auto& c = a_.chunk;
  if (c.head(p) & kPrevInUse) return std::nullopt;
  const uint64_t psz = c.prev_size(p);
  const Chunk prev = p - psz, next = p + old;
  const uint64_t nsz = next != a_.top && !c.inuse_at(next, c.size(next)) ? c.size(next) : 0;
  if (psz + old + nsz < nb || nsz == 0) return std::nullopt;
  if (c.size(prev) != psz) return a_.fail("realloc", prev, "corrupted size vs. prev_size"), 0;
  if (const char* err = a_.bins.unlink(prev)) return a_.fail("realloc", prev, err), 0;
  if (const char* err = a_.bins.unlink(next)) return a_.fail("realloc", next, err), 0;  // nsz > 0 here
  const uint64_t total = psz + old + nsz;
  c.set_head(prev, total | (c.head(prev) & kPrevInUse));
  c.set_inuse_at(prev, total);
  const Payload nm = payload_of(prev);
  a_.records.note_freed(m);
  a_.records.note_allocated(nm);
  a_.mem.copy(nm.value(), m.value(), std::min(usable_bytes(old, false), (bytes + 7) & ~uint64_t{7}));
  if (total - nb >= kMinSize) free_tail(prev, total, nb, "realloc");
  ++a_.counters.realloc_backward;
  return a_.error ? 0 : nm.value();
}

// A brk chunk grows into top or a free successor, or shrinks, where it is.
// nullopt: it must move.
template <typename Mem>
std::optional<uint64_t> Ptmalloc<Mem>::realloc_in_place(Chunk p, Payload m, uint64_t old, uint64_t nb) {
  auto& c = a_.chunk;
  uint64_t newsize = old;
  const Chunk next = p + old;
  if (old < nb) {
    // Top too small for a block that ends at it: brk grows top as a malloc
    // of nb would (below the mmap threshold), then the block grows into it.
    // glibc gets there by carving the new chunk from the grown top, right
    // behind the old one, and joining the two ("avoid copy if newp is next
    // chunk after oldp"): no copy, and no hole where the block was.
    if (next == a_.top && old + a_.top_size() < nb + kMinSize && nb < a_.mmap_threshold) sys_.grow_top(nb);
    if (next == a_.top && old + a_.top_size() >= nb + kMinSize) {  // grow into top
      const uint64_t tsz = a_.top_size();
      c.set_head(p, nb | (c.head(p) & kPrevInUse));
      a_.top = p + nb;
      c.set_head(a_.top, (old + tsz - nb) | kPrevInUse);
      // The block now reaches into memory never handed out before: it is not
      // fresh any more, or a later calloc from top would skip zeroing it
      // (found by make fuzz, malloc_api).
      a_.fresh_from = std::max(a_.fresh_from, (p + nb).value());
      ++a_.counters.realloc_in_place;
      return m.value();
    }
    if (next != a_.top && !c.inuse_at(next, c.size(next)) && old + c.size(next) >= nb) {  // absorb next
      const uint64_t nsz = c.size(next);
      if (const char* err = a_.bins.unlink(next)) return a_.fail("realloc", next, err), 0;
      newsize = old + nsz;
      c.set_head(p, newsize | (c.head(p) & kPrevInUse));
      c.set_inuse_at(p, newsize);
    }
  }
  if (newsize < nb) return std::nullopt;
  if (newsize - nb >= kMinSize) free_tail(p, newsize, nb, "realloc");  // shrink: the tail can stand alone
  ++a_.counters.realloc_in_place;
  return a_.error ? 0 : m.value();
}

// Cuts p (of sz bytes) to nb bytes and frees the rest as a chunk of its own.
template <typename Mem>
void Ptmalloc<Mem>::free_tail(Chunk p, uint64_t sz, uint64_t nb, const char* call) {
  auto& c = a_.chunk;
  const Chunk rem = p + nb;
  const uint64_t rsize = sz - nb;
  c.set_head(p, nb | (c.head(p) & kPrevInUse));
  c.set_head(rem, rsize | kPrevInUse);
  c.set_inuse_at(rem, rsize);
  free_.release(rem, rsize, call);
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::memalign(uint64_t alignment, uint64_t bytes) {
  if (a_.error) return 0;
  if (alignment <= kAlign) return malloc(bytes);
  alignment = std::bit_ceil(alignment);
  if (bytes > (uint64_t{1} << 61)) return 0;
  const uint64_t nb = request2size(bytes);
  const uint64_t mem = malloc(nb + alignment + kMinSize);
  if (!mem) return 0;
  const Payload m{mem};
  Chunk p = chunk_of(m);
  if (mem % alignment) {
    // Give back a leading chunk so the payload lands on the boundary.
    Chunk aligned = chunk_of(Payload{(mem + alignment - 1) & ~(alignment - 1)});
    if (aligned - p < kMinSize) aligned = aligned + alignment;
    const uint64_t lead = aligned - p, newsize = a_.chunk.size(p) - lead;
    if (a_.chunk.mmapped(p)) return memalign_mmapped(p, m, aligned, lead, newsize);
    auto& c = a_.chunk;
    c.set_head(aligned, newsize | kPrevInUse);
    c.set_inuse_at(aligned, newsize);
    c.set_head(p, lead | (c.head(p) & kPrevInUse));
    a_.records.forget(m);  // the leader was never handed out: neither live nor freed
    free_.release(p, lead, "memalign");
    p = aligned;
    a_.records.note_allocated(payload_of(p));
  }
  const uint64_t sz = a_.chunk.size(p);
  if (sz >= nb + kMinSize) free_tail(p, sz, nb, "memalign");  // and a trailing one
  return a_.error ? 0 : payload_of(p).value();
}

// An mmapped chunk is not split: the mapping's offset moves into prev_size.
template <typename Mem>
uint64_t Ptmalloc<Mem>::memalign_mmapped(Chunk p, Payload m, Chunk aligned, uint64_t lead, uint64_t newsize) {
  auto& c = a_.chunk;
  a_.records.note_freed(m);
  c.set_prev_size(aligned, c.prev_size(p) + lead);
  c.set_head(aligned, newsize | kIsMmapped);
  a_.records.note_allocated(payload_of(aligned));
  return payload_of(aligned).value();
}

// ============================================================================
// The rest of the API
// ============================================================================

template <typename Mem>
uint64_t Ptmalloc<Mem>::usable_size(uint64_t mem) {
  Chunk p;
  uint64_t head;
  if (a_.error || !mem || !a_.check_pointer("malloc_usable_size", Payload{mem}, p, head)) return 0;
  return usable_bytes(head & ~kFlags, head & kIsMmapped);
}

template <typename Mem>
bool Ptmalloc<Mem>::trim(uint64_t pad) {
  if (a_.error || !a_.ready) return false;
  free_.consolidate();
  return sys_.systrim(pad);
}

template <typename Mem>
bool Ptmalloc<Mem>::mallopt(MallOpt param, uint64_t value) {
  switch (param) {
    case MallOpt::kMmapThreshold:
      if (value > kDefaultMmapThresholdMax) return false;
      a_.mmap_threshold = value;
      a_.dynamic_threshold = false;
      return true;
    case MallOpt::kTrimThreshold:
      a_.trim_threshold = value;
      a_.dynamic_threshold = false;
      return true;
    case MallOpt::kTopPad:  // as glibc's do_set_top_pad, it also fixes the mmap threshold
      a_.top_pad = value;
      a_.dynamic_threshold = false;
      return true;
    case MallOpt::kMaxFast:
      if (value > 160) return false;
      if (a_.ready) free_.consolidate();
      a_.max_fast = value == 0 ? 16 : ((value + kSizeSz) & ~kAlignMask);
      return true;
    case MallOpt::kTcacheCount:
      a_.tcache.set_limit(unsigned(std::min<uint64_t>(value, 65535)));
      return true;
  }
  return false;
}

template <typename Mem>
MallInfo2 Ptmalloc<Mem>::mallinfo2() {
  MallInfo2 mi;
  if (!a_.ready || a_.mem.failed()) return mi;
  auto& c = a_.chunk;
  uint64_t avail = a_.top_size(), fast = 0;
  for (unsigned i = 0; i < kNFastBins; ++i) {
    for (Chunk p = a_.fast.head(i); p && !a_.mem.failed(); p = a_.fast.next(p)) {
      ++mi.smblks;
      fast += c.size(p);
    }
  }
  mi.ordblks = 1;  // top
  for (unsigned i = 1; i < kNBins; ++i) {
    const Chunk bin = a_.bins.bin_at(i);
    for (Chunk p = c.bk(bin); p != bin && !a_.mem.failed(); p = c.bk(p)) {
      ++mi.ordblks;
      avail += c.size(p);
    }
  }
  mi.arena = brk_bytes();
  mi.hblks = a_.mmapped_count;
  mi.hblkhd = a_.mmapped_bytes;
  mi.fsmblkd = fast;
  mi.fordblks = avail + fast;
  mi.uordblks = mi.arena - mi.fordblks;
  mi.keepcost = a_.top_size();
  return mi;
}

template class Ptmalloc<GuestHeap>;
template class Ptmalloc<NativeHeap>;

}  // namespace vmsim
