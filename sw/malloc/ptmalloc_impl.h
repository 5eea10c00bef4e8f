// ptmalloc_impl.h: the allocator's algorithms; included once, by
// ptmalloc.cpp, which instantiates them for both backends. The structure
// follows glibc's malloc.c (_int_malloc, _int_free, malloc_consolidate,
// sysmalloc, systrim, _int_realloc, _int_memalign) so its behaviour can be
// compared chunk for chunk; see docs/malloc.md.
#pragma once

#include <algorithm>
#include <bit>

#include "sw/malloc/ptmalloc.h"

namespace vmsim {

using namespace pm;

template <typename Mem>
Ptmalloc<Mem>::Ptmalloc(Mem& mem)
    : mem_(mem), tcache_key_(0x5a17c0de5eed1234ull ^ (reinterpret_cast<uint64_t>(this) << 4)) {}

// ============================================================================
// Misuse detection
// ============================================================================

// The guest process owning the heap has ended (killed, or it faulted):
// nothing can be read any more, so every call stops here.
template <typename Mem>
bool Ptmalloc<Mem>::memory_gone(const char* call) {
  if (!mem_.failed()) return false;
  fail(call, 0, "the heap's memory is gone: the process has ended");
  return true;
}

template <typename Mem>
bool Ptmalloc<Mem>::fail(const char* call, uint64_t addr, std::string what) {
  if (!error_) error_ = MallocError{call, addr, std::move(what)};
  return false;
}

template <typename Mem>
void Ptmalloc<Mem>::note_heap_growth() {
  peak_heap_ = std::max(peak_heap_, heap_bytes());
  const size_t words = size_t(((brk_end_ - heap_start_) / kAlign + 31) / 32);
  if (granules_.size() < words) granules_.resize(words, 0);
}

template <typename Mem>
void Ptmalloc<Mem>::note_allocated(uint64_t m) {
  if (m >= heap_start_ && m < brk_end_) {
    const uint64_t g = (m - heap_start_) / kAlign;
    uint64_t& w = granules_[g / 32];
    w = (w & ~(uint64_t{3} << (2 * (g % 32)))) | (uint64_t{1} << (2 * (g % 32)));  // live
  } else {
    live_mmapped_.insert(m);
  }
}

template <typename Mem>
void Ptmalloc<Mem>::note_freed(uint64_t m) {
  if (m >= heap_start_ && m < brk_end_) {
    const uint64_t g = (m - heap_start_) / kAlign;
    uint64_t& w = granules_[g / 32];
    w = (w & ~(uint64_t{3} << (2 * (g % 32)))) | (uint64_t{2} << (2 * (g % 32)));  // freed
  } else {
    live_mmapped_.erase(m);
  }
}

// The pointer must be one malloc returned and that is still live, and its
// header must be sane. On success p is its chunk.
template <typename Mem>
bool Ptmalloc<Mem>::check_pointer(const char* call, uint64_t m, uint64_t& p) {
  if (m & kAlignMask)
    return fail(call, m, "invalid pointer: not 16-byte aligned, so malloc never returned it");
  p = mem2chunk(m);
  if (m >= heap_start_ && m < brk_end_) {
    const uint64_t g = (m - heap_start_) / kAlign;
    const uint64_t state = (granules_[g / 32] >> (2 * (g % 32))) & 3;
    if (state != 1) {
      return fail(call, m,
                  state == 2 ? "double free: this chunk was already freed"
                             : "invalid pointer: not returned by malloc (interior or foreign pointer)");
    }
  } else if (!live_mmapped_.count(m)) {
    return fail(call, m, "invalid pointer: not returned by malloc");
  }
  const uint64_t head = size_field(p);
  const uint64_t sz = head & ~kFlags;
  if (sz < kMinSize || (sz & kAlignMask) || p + sz < p) {
    return fail(call, m,
                "invalid size: the chunk header was overwritten (size field 0x" + std::to_string(head) + ")");
  }
  if (!(head & kIsMmapped) && p + sz > brk_end_) {
    return fail(call, m, "invalid size: the chunk would run past the heap (header overwritten)");
  }
  return true;
}

// ============================================================================
// Set-up and bins
// ============================================================================

template <typename Mem>
bool Ptmalloc<Mem>::init() {
  auto start = mem_.brk_start();
  if (!start) return fail("malloc", 0, "no heap: brk is not available");
  heap_start_ = (*start + kAlignMask) & ~kAlignMask;
  arena_ = heap_start_;
  brk_end_ = heap_start_ + kNBins * 16;
  if (!mem_.set_brk(brk_end_)) return fail("malloc", 0, "no heap: brk refused the bin headers");
  for (unsigned i = 1; i < kNBins; ++i) {
    set_fd(bin_at(i), bin_at(i));
    set_bk(bin_at(i), bin_at(i));
  }
  fresh_from_ = brk_end_;
  note_heap_growth();
  ready_ = !mem_.failed();
  return ready_;
}

template <typename Mem>
bool Ptmalloc<Mem>::unlink_chunk(uint64_t p, const char* call) {
  const uint64_t sz = chunksize(p);
  if (prev_size(p + sz) != sz) return fail(call, chunk2mem(p), "corrupted size vs. prev_size");
  const uint64_t f = fd(p), b = bk(p);
  if (bk(f) != p || fd(b) != p) return fail(call, chunk2mem(p), "corrupted double-linked list");
  set_bk(f, b);
  set_fd(b, f);
  return true;
}

template <typename Mem>
void Ptmalloc<Mem>::insert_unsorted(uint64_t p) {
  const uint64_t ub = bin_at(kUnsorted), first = fd(ub);
  set_fd(p, first);
  set_bk(p, ub);
  set_bk(first, p);
  set_fd(ub, p);
}

// Small bins are exact; large bins are kept sorted by size, largest first.
template <typename Mem>
void Ptmalloc<Mem>::insert_sorted(uint64_t p, uint64_t sz) {
  const unsigned idx = bin_index(sz);
  const uint64_t bin = bin_at(idx);
  uint64_t bck = bin, fwd = fd(bin);
  if (!in_smallbin_range(sz)) {
    while (fwd != bin && chunksize(fwd) > sz && !mem_.failed()) bck = fwd, fwd = fd(fwd);
  }
  set_fd(p, fwd);
  set_bk(p, bck);
  set_bk(fwd, p);
  set_fd(bck, p);
  mark_bin(idx);
}

// ============================================================================
// tcache (safe-linked: the next pointer is stored xor the slot address >> 12)
// ============================================================================

template <typename Mem>
void Ptmalloc<Mem>::tcache_put(uint64_t p, unsigned idx) {
  const uint64_t e = chunk2mem(p);
  mem_.store(e + 8, tcache_key_);
  mem_.store(e, tcache_heads_[idx] ^ (e >> 12));
  tcache_heads_[idx] = e;
  ++tcache_counts_[idx];
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::tcache_get(unsigned idx, const char* call) {
  const uint64_t e = tcache_heads_[idx];
  const uint64_t next = mem_.load(e) ^ (e >> 12);
  if (next & kAlignMask) {
    fail(call, e, "unaligned tcache chunk detected (a freed chunk's next pointer was overwritten)");
    return 0;
  }
  tcache_heads_[idx] = next;
  --tcache_counts_[idx];
  mem_.store(e + 8, 0);
  ++counters_.tcache_hits;
  return e;
}

// ============================================================================
// malloc
// ============================================================================

template <typename Mem>
uint64_t Ptmalloc<Mem>::malloc(uint64_t bytes) {
  if (error_ || memory_gone("malloc") || (!ready_ && !init())) return 0;
  if (bytes > (uint64_t{1} << 62)) return 0;  // ENOMEM
  const uint64_t nb = request2size(bytes);
  uint64_t m = 0;
  if (nb <= kTcacheMaxSize && tcache_counts_[tcache_index(nb)]) {
    m = tcache_get(tcache_index(nb), "malloc");
  } else {
    const uint64_t c = int_malloc(nb, "malloc");
    m = c ? chunk2mem(c) : 0;
  }
  if (m && !error_ && !memory_gone("malloc")) {
    note_allocated(m);
    return m;
  }
  return 0;
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::split_and_return(uint64_t v, uint64_t vsz, uint64_t nb, bool set_remainder) {
  const uint64_t rsize = vsz - nb;
  if (rsize < kMinSize) {  // too small to stand alone: hand out the whole chunk
    set_inuse_bit_at(v, vsz);
    return v;
  }
  const uint64_t rem = v + nb;
  set_size_field(v, nb | (size_field(v) & kPrevInUse));
  set_size_field(rem, rsize | kPrevInUse);
  set_foot(rem, rsize);
  insert_unsorted(rem);
  if (set_remainder) last_remainder_ = rem;
  return v;
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::int_malloc(uint64_t nb, const char* call) {
  // 1. Fast bins: exact size, LIFO.
  if (nb <= max_fast_) {
    const unsigned idx = fastbin_index(nb);
    const uint64_t v = fastbins_[idx];
    if (v) {
      const uint64_t next = fd(v) ^ ((v + 16) >> 12);
      if (fastbin_index(chunksize(v)) != idx) return fail(call, chunk2mem(v), "memory corruption (fast)"), 0;
      if (next & kAlignMask) return fail(call, chunk2mem(v), "unaligned fastbin chunk detected"), 0;
      fastbins_[idx] = next;
      ++counters_.fastbin_hits;
      return v;
    }
  }
  // 2. Small bins: exact size, oldest first.
  if (in_smallbin_range(nb)) {
    const unsigned idx = smallbin_index(nb);
    const uint64_t bin = bin_at(idx), v = bk(bin);
    if (v != bin) {
      const uint64_t bck = bk(v);
      if (fd(bck) != v) return fail(call, chunk2mem(v), "smallbin double linked list corrupted"), 0;
      set_inuse_bit_at(v, nb);
      set_bk(bin, bck);
      set_fd(bck, bin);
      if (bck == bin) unmark_bin(idx);
      ++counters_.smallbin_hits;
      return v;
    }
  } else if (std::any_of(fastbins_.begin(), fastbins_.end(), [](uint64_t h) { return h != 0; })) {
    consolidate();  // a large request: merge the fast bins' fragments first
    if (error_) return 0;
  }

  for (int round = 0; round < 2; ++round) {
    // 3. The unsorted bin: take an exact fit, split the last remainder for a
    //    small request, and sort everything else into its bin.
    const uint64_t ub = bin_at(kUnsorted);
    for (int iters = 0; iters < 10000; ++iters) {
      const uint64_t v = bk(ub);
      if (v == ub) break;
      const uint64_t bck = bk(v), sz = chunksize(v), next = v + sz;
      if (sz < kMinSize || next > brk_end_) return fail(call, chunk2mem(v), "invalid size (unsorted)"), 0;
      if (chunksize(next) < 16 || next + chunksize(next) > brk_end_ + kMinSize) {
        return fail(call, chunk2mem(v), "invalid next size (unsorted)"), 0;
      }
      if (prev_size(next) != sz) return fail(call, chunk2mem(v), "mismatching next->prev_size (unsorted)"), 0;
      if (fd(bck) != v || fd(v) != ub)
        return fail(call, chunk2mem(v), "unsorted double linked list corrupted"), 0;
      if (in_smallbin_range(nb) && bck == ub && v == last_remainder_ && sz > nb + kMinSize) {
        const uint64_t rem = v + nb, rsize = sz - nb;
        last_remainder_ = rem;
        set_fd(ub, rem);
        set_bk(ub, rem);
        set_fd(rem, ub);
        set_bk(rem, ub);
        set_size_field(v, nb | kPrevInUse);
        set_size_field(rem, rsize | kPrevInUse);
        set_foot(rem, rsize);
        ++counters_.last_remainder_splits;
        return v;
      }
      set_bk(ub, bck);
      set_fd(bck, ub);
      if (sz == nb) {
        set_inuse_bit_at(v, sz);
        ++counters_.unsorted_exact;
        return v;
      }
      insert_sorted(v, sz);
    }
    // 4. A large request: best fit (smallest chunk big enough) in its bin.
    if (!in_smallbin_range(nb)) {
      const unsigned idx = largebin_index(nb);
      const uint64_t bin = bin_at(idx);
      uint64_t v = bk(bin);  // the smallest
      while (v != bin && chunksize(v) < nb && !mem_.failed()) v = bk(v);
      if (v != bin) {
        const uint64_t sz = chunksize(v);
        if (!unlink_chunk(v, call)) return 0;
        if (bin_empty(idx)) unmark_bin(idx);
        ++counters_.largebin_hits;
        return split_and_return(v, sz, nb, false);
      }
    }
    // 5. The next non-empty bin above, found through the bin map: any chunk
    //    there is big enough; take its smallest and split it.
    for (unsigned i = bin_index(nb) + 1; i < kNBins;) {
      const uint32_t bits = binmap_[i / 32] >> (i % 32);
      if (!bits) {
        i = (i / 32 + 1) * 32;
        continue;
      }
      i += unsigned(std::countr_zero(bits));
      if (i >= kNBins) break;
      const uint64_t bin = bin_at(i), v = bk(bin);
      if (v == bin) {  // a stale bit: the bin emptied since
        unmark_bin(i);
        ++i;
        continue;
      }
      const uint64_t sz = chunksize(v);
      if (!unlink_chunk(v, call)) return 0;
      if (bin_empty(i)) unmark_bin(i);
      ++counters_.binmap_hits;
      return split_and_return(v, sz, nb, in_smallbin_range(nb));
    }
    // 6. The top chunk.
    if (top_) {
      const uint64_t tsz = chunksize(top_);
      if (top_ + tsz != brk_end_) return fail(call, chunk2mem(top_), "corrupted top size"), 0;
      if (tsz >= nb + kMinSize) return carve_from_top(nb);
    }
    // Fast-bin fragments may merge into something big enough: once.
    if (round == 0 && std::any_of(fastbins_.begin(), fastbins_.end(), [](uint64_t h) { return h != 0; })) {
      consolidate();
      continue;
    }
    break;
  }
  return sysmalloc(nb, call);
}

// Merges every fast-bin chunk with its free neighbours and puts the results
// in the unsorted bin (or into top).
template <typename Mem>
void Ptmalloc<Mem>::consolidate() {
  ++counters_.consolidations;
  for (unsigned i = 0; i < kNFastBins; ++i) {
    uint64_t p = fastbins_[i];
    fastbins_[i] = 0;
    while (p && !error_ && !mem_.failed()) {
      const uint64_t next_in_bin = fd(p) ^ ((p + 16) >> 12);
      if (fastbin_index(chunksize(p)) != i) {
        fail("malloc_consolidate", chunk2mem(p), "invalid chunk size in fast bin");
        return;
      }
      uint64_t sz = chunksize(p);
      if (!merge_backward(p, sz, "malloc_consolidate") ||
          !merge_forward_and_place(p, sz, "malloc_consolidate"))
        return;
      p = next_in_bin;
    }
  }
}

// Memory from the system: a mapping of its own above the mmap threshold,
// otherwise a bigger top chunk through brk.
template <typename Mem>
uint64_t Ptmalloc<Mem>::alloc_mmapped(uint64_t nb) {
  const uint64_t len = (nb + kSizeSz + kPage - 1) & ~(kPage - 1);
  auto base = mem_.map(len);
  if (!base) return 0;
  set_prev_size(*base, 0);
  set_size_field(*base, len | kIsMmapped);
  mmapped_bytes_ += len;
  ++mmapped_count_;
  ++counters_.mmaps;
  fresh_carve_ = *base;
  note_heap_growth();
  return *base;
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::sysmalloc(uint64_t nb, const char* call) {
  if (nb >= mmap_threshold_) {
    if (const uint64_t p = alloc_mmapped(nb)) return p;
  }
  const uint64_t old_size = top_ ? chunksize(top_) : 0;
  uint64_t grow = nb + top_pad_ + kMinSize - old_size;
  grow = (grow + kPage - 1) & ~(kPage - 1);
  if (!mem_.set_brk(brk_end_ + grow)) {
    if (const uint64_t p = alloc_mmapped(nb)) return p;  // brk refused: fall back to a mapping
    return 0;                                            // ENOMEM
  }
  if (!top_) top_ = brk_end_;
  set_size_field(top_, (old_size + grow) | kPrevInUse);
  brk_end_ += grow;
  ++counters_.brk_grows;
  note_heap_growth();
  if (chunksize(top_) < nb + kMinSize) return fail(call, 0, "top chunk too small after growing the heap"), 0;
  return carve_from_top(nb);
}

// Splits nb bytes off the front of top; notes whether they were never used
// before (calloc need not zero them).
template <typename Mem>
uint64_t Ptmalloc<Mem>::carve_from_top(uint64_t nb) {
  const uint64_t tsz = chunksize(top_), v = top_;
  top_ = v + nb;
  set_size_field(top_, (tsz - nb) | kPrevInUse);
  set_size_field(v, nb | kPrevInUse);
  fresh_carve_ = v >= fresh_from_ ? v : 0;
  fresh_from_ = std::max(fresh_from_, v + nb);
  ++counters_.top_splits;
  return v;
}

// Gives the top chunk back to the system down to `pad` bytes (whole pages).
template <typename Mem>
bool Ptmalloc<Mem>::systrim(uint64_t pad) {
  if (!top_) return false;
  const uint64_t tsz = chunksize(top_);
  if (tsz <= pad + kMinSize + kPage) return false;
  const uint64_t extra = (tsz - pad - kMinSize - 1) & ~(kPage - 1);
  if (!extra || !mem_.set_brk(brk_end_ - extra)) return false;
  brk_end_ -= extra;
  set_size_field(top_, (tsz - extra) | kPrevInUse);
  fresh_from_ = std::min(fresh_from_, brk_end_);  // what comes back later is fresh again
  ++counters_.trims;
  return true;
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::top_size() {
  return top_ ? chunksize(top_) : 0;
}

// ============================================================================
// free
// ============================================================================

template <typename Mem>
void Ptmalloc<Mem>::free(uint64_t m) {
  if (error_ || !m || memory_gone("free")) return;
  uint64_t p;
  if (!check_pointer("free", m, p)) return;
  const uint64_t sz = chunksize(p);
  note_freed(m);
  if (size_field(p) & kIsMmapped) {
    // Dynamic threshold: a freed mapping this large says such sizes are
    // long-lived and worth keeping in the heap (glibc's heuristic).
    if (dynamic_threshold_ && sz > mmap_threshold_ && sz <= kDefaultMmapThresholdMax) {
      mmap_threshold_ = sz;
      trim_threshold_ = 2 * sz;
    }
    munmap_chunk(p, "free");
    return;
  }
  if (sz <= kTcacheMaxSize) {
    const unsigned idx = tcache_index(sz);
    if (mem_.load(m + 8) == tcache_key_) {  // maybe already in the tcache: look
      uint64_t e = tcache_heads_[idx];
      for (unsigned n = 0; e && n < tcache_counts_[idx]; ++n) {
        if (e == m) return (void)fail("free", m, "double free detected in tcache 2");
        e = mem_.load(e) ^ (e >> 12);
      }
    }
    if (tcache_counts_[idx] < tcache_count_) {
      tcache_put(p, idx);
      return;
    }
  }
  int_free(p, sz, "free");
}

template <typename Mem>
void Ptmalloc<Mem>::int_free(uint64_t p, uint64_t sz, const char* call) {
  const uint64_t next = p + sz;
  if (sz <= max_fast_) {
    const uint64_t nsz = chunksize(next);
    if (nsz <= 2 * kSizeSz || next + nsz > brk_end_ + kMinSize) {
      return (void)fail(call, chunk2mem(p), "invalid next size (fast)");
    }
    const unsigned idx = fastbin_index(sz);
    if (fastbins_[idx] == p) return (void)fail(call, chunk2mem(p), "double free or corruption (fasttop)");
    set_fd(p, fastbins_[idx] ^ ((p + 16) >> 12));
    fastbins_[idx] = p;
    return;
  }
  if (p == top_) return (void)fail(call, chunk2mem(p), "double free or corruption (top)");
  if (next > brk_end_) return (void)fail(call, chunk2mem(p), "double free or corruption (out)");
  if (!inuse_bit_at(next, 0)) return (void)fail(call, chunk2mem(p), "double free or corruption (!prev)");
  const uint64_t nsz = chunksize(next);
  if (nsz <= 2 * kSizeSz || next + nsz > brk_end_ + kMinSize) {
    return (void)fail(call, chunk2mem(p), "invalid next size (normal)");
  }
  if (!merge_backward(p, sz, call) || !merge_forward_and_place(p, sz, call)) return;
  if (sz >= kFastbinConsolidationThreshold) {
    if (std::any_of(fastbins_.begin(), fastbins_.end(), [](uint64_t h) { return h != 0; })) consolidate();
    if (top_size() >= trim_threshold_) systrim(top_pad_);
  }
}

// A freed chunk whose P bit is clear absorbs the free chunk before it
// (found through prev_size, which must agree with that chunk's size).
template <typename Mem>
bool Ptmalloc<Mem>::merge_backward(uint64_t& p, uint64_t& sz, const char* call) {
  if (size_field(p) & kPrevInUse) return true;
  const uint64_t psz = prev_size(p);
  p -= psz;
  sz += psz;
  if (chunksize(p) != psz)
    return fail(call, chunk2mem(p), "corrupted size vs. prev_size while consolidating");
  return unlink_chunk(p, call);
}

// Then it absorbs a free chunk after it, and goes to the unsorted bin; or,
// when the top chunk follows, it becomes part of top.
template <typename Mem>
bool Ptmalloc<Mem>::merge_forward_and_place(uint64_t p, uint64_t& sz, const char* call) {
  const uint64_t next = p + sz;
  const uint64_t nsz = chunksize(next);
  if (next == top_) {
    sz += nsz;
    set_size_field(p, sz | kPrevInUse);
    top_ = p;
    return true;
  }
  if (!inuse_bit_at(next, nsz)) {
    if (!unlink_chunk(next, call)) return false;
    sz += nsz;
  } else {
    clear_inuse_bit_at(next, 0);
  }
  insert_unsorted(p);
  set_size_field(p, sz | kPrevInUse);
  set_foot(p, sz);
  return true;
}

template <typename Mem>
void Ptmalloc<Mem>::munmap_chunk(uint64_t p, const char* call) {
  const uint64_t sz = chunksize(p), off = prev_size(p);
  if (((p - off) | (sz + off)) & (kPage - 1))
    return (void)fail(call, chunk2mem(p), "munmap_chunk(): invalid pointer");
  mem_.unmap(p - off, sz + off);
  mmapped_bytes_ -= sz + off;
  --mmapped_count_;
  ++counters_.munmaps;
}

// ============================================================================
// calloc, realloc, memalign, and the rest of the API
// ============================================================================

template <typename Mem>
uint64_t Ptmalloc<Mem>::calloc(uint64_t n, uint64_t size) {
  if (size && n > UINT64_MAX / size) return 0;  // overflow: ENOMEM
  const uint64_t bytes = n * size;
  fresh_carve_ = 0;
  const uint64_t m = malloc(bytes);
  if (!m) return 0;
  const uint64_t p = mem2chunk(m);
  // A chunk carved from never-used heap or a new mapping is already zero.
  if (fresh_carve_ == p) {
    ++counters_.calloc_skipped_zeroing;
    return m;
  }
  const uint64_t usable = (size_field(p) & kIsMmapped) ? chunksize(p) - 2 * kSizeSz : chunksize(p) - kSizeSz;
  for (uint64_t off = 0; off < usable; off += 8) mem_.store(m + off, 0);
  return m;
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::usable_size(uint64_t m) {
  uint64_t p;
  if (error_ || !m || !check_pointer("malloc_usable_size", m, p)) return 0;
  return (size_field(p) & kIsMmapped) ? chunksize(p) - 2 * kSizeSz : chunksize(p) - kSizeSz;
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::realloc(uint64_t m, uint64_t bytes) {
  if (error_ || memory_gone("realloc")) return 0;
  if (!m) return malloc(bytes);
  if (bytes == 0) {
    free(m);
    return 0;
  }
  uint64_t p;
  if (!check_pointer("realloc", m, p)) return 0;
  if (bytes > (uint64_t{1} << 62)) return 0;
  const uint64_t nb = request2size(bytes);
  const uint64_t old = chunksize(p);
  const bool mmapped = size_field(p) & kIsMmapped;
  const uint64_t usable = mmapped ? old - 2 * kSizeSz : old - kSizeSz;
  if (mmapped && usable >= bytes && usable - bytes < kPage) return m;  // still fits its mapping
  if (!mmapped) {
    uint64_t newsize = old;
    const uint64_t next = p + old;
    if (old < nb) {
      if (next == top_ && old + top_size() >= nb + kMinSize) {  // grow into top
        const uint64_t tsz = top_size();
        set_size_field(p, nb | (size_field(p) & kPrevInUse));
        top_ = p + nb;
        set_size_field(top_, (old + tsz - nb) | kPrevInUse);
        ++counters_.realloc_in_place;
        return m;
      }
      if (next != top_ && !inuse_bit_at(next, chunksize(next)) &&
          old + chunksize(next) >= nb) {  // absorb next
        const uint64_t nsz = chunksize(next);
        if (!unlink_chunk(next, "realloc")) return 0;
        newsize = old + nsz;
        set_size_field(p, newsize | (size_field(p) & kPrevInUse));
        set_inuse_bit_at(p, newsize);
      }
    }
    if (newsize >= nb) {  // shrink (or grown in place): free the tail if it can stand alone
      if (newsize - nb >= kMinSize) {
        const uint64_t rem = p + nb, rsize = newsize - nb;
        set_size_field(p, nb | (size_field(p) & kPrevInUse));
        set_size_field(rem, rsize | kPrevInUse);
        set_inuse_bit_at(rem, rsize);
        int_free(rem, rsize, "realloc");
      }
      ++counters_.realloc_in_place;
      return error_ ? 0 : m;
    }
  }
  // Move: allocate, copy, free the old block.
  const uint64_t nm = malloc(bytes);
  if (!nm) return 0;
  mem_.copy(nm, m, std::min(usable, (bytes + 7) & ~uint64_t{7}));
  free(m);
  return error_ ? 0 : nm;
}

template <typename Mem>
uint64_t Ptmalloc<Mem>::memalign(uint64_t alignment, uint64_t bytes) {
  if (error_) return 0;
  if (alignment <= kAlign) return malloc(bytes);
  alignment = std::bit_ceil(alignment);
  if (bytes > (uint64_t{1} << 61)) return 0;
  const uint64_t nb = request2size(bytes);
  const uint64_t m = malloc(nb + alignment + kMinSize);
  if (!m) return 0;
  uint64_t p = mem2chunk(m);
  if (m % alignment) {
    // Give back a leading chunk so the payload lands on the boundary.
    uint64_t brk = mem2chunk((m + alignment - 1) & ~(alignment - 1));
    if (brk - p < kMinSize) brk += alignment;
    const uint64_t lead = brk - p, newsize = chunksize(p) - lead;
    if (size_field(p) & kIsMmapped) {
      live_mmapped_.erase(m);
      set_prev_size(brk, prev_size(p) + lead);
      set_size_field(brk, newsize | kIsMmapped);
      live_mmapped_.insert(chunk2mem(brk));
      return chunk2mem(brk);
    }
    set_size_field(brk, newsize | kPrevInUse);
    set_inuse_bit_at(brk, newsize);
    set_size_field(p, lead | (size_field(p) & kPrevInUse));
    const uint64_t g = (m - heap_start_) / kAlign;  // the leader was never handed out: neither live nor freed
    granules_[g / 32] &= ~(uint64_t{3} << (2 * (g % 32)));
    int_free(p, lead, "memalign");
    p = brk;
    note_allocated(chunk2mem(p));
  }
  const uint64_t sz = chunksize(p);
  if (sz >= nb + kMinSize) {  // and a trailing one
    const uint64_t rem = p + nb;
    set_size_field(rem, (sz - nb) | kPrevInUse);
    set_size_field(p, nb | (size_field(p) & kPrevInUse));
    set_inuse_bit_at(rem, sz - nb);
    int_free(rem, sz - nb, "memalign");
  }
  return error_ ? 0 : chunk2mem(p);
}

template <typename Mem>
bool Ptmalloc<Mem>::trim(uint64_t pad) {
  if (error_ || !ready_) return false;
  consolidate();
  return systrim(pad);
}

template <typename Mem>
bool Ptmalloc<Mem>::mallopt(MallOpt param, uint64_t value) {
  switch (param) {
    case MallOpt::kMmapThreshold:
      if (value > kDefaultMmapThresholdMax) return false;
      mmap_threshold_ = value;
      dynamic_threshold_ = false;
      return true;
    case MallOpt::kTrimThreshold:
      trim_threshold_ = value;
      dynamic_threshold_ = false;
      return true;
    case MallOpt::kTopPad:
      top_pad_ = value;
      return true;
    case MallOpt::kMaxFast:
      if (value > 160) return false;
      if (ready_) consolidate();
      max_fast_ = value == 0 ? 16 : ((value + kSizeSz) & ~kAlignMask);
      return true;
    case MallOpt::kTcacheCount:
      tcache_count_ = unsigned(std::min<uint64_t>(value, 65535));
      return true;
  }
  return false;
}

template <typename Mem>
MallInfo2 Ptmalloc<Mem>::mallinfo2() {
  MallInfo2 mi;
  if (!ready_ || mem_.failed()) return mi;
  uint64_t avail = top_size(), fast = 0;
  for (unsigned i = 0; i < kNFastBins; ++i) {
    for (uint64_t p = fastbins_[i]; p && !mem_.failed(); p = fd(p) ^ ((p + 16) >> 12)) {
      ++mi.smblks;
      fast += chunksize(p);
    }
  }
  mi.ordblks = 1;  // top
  for (unsigned i = 1; i < kNBins; ++i) {
    for (uint64_t p = bk(bin_at(i)); p != bin_at(i) && !mem_.failed(); p = bk(p)) {
      ++mi.ordblks;
      avail += chunksize(p);
    }
  }
  mi.arena = brk_bytes();
  mi.hblks = mmapped_count_;
  mi.hblkhd = mmapped_bytes_;
  mi.fsmblkd = fast;
  mi.fordblks = avail + fast;
  mi.uordblks = mi.arena - mi.fordblks;
  mi.keepcost = top_size();
  return mi;
}

}  // namespace vmsim
