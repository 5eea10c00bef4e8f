// malloc_path.h: finding a chunk for a request of nb bytes (after the
// tcache, which the API tries first). One function per step, in glibc's
// order (docs/malloc.md, "The path of a malloc"):
//
//   1 from_fastbin    nb <= max_fast: the fast bin's top, exact size
//   2 from_smallbin   nb < 1024: the small bin's oldest, exact size;
//                     a large request consolidates the fast bins instead
//   3 from_unsorted   the unsorted bin, oldest first: split the last
//                     remainder for a small request, take an exact fit, sort
//                     the rest into their bins
//   4 from_largebin   nb >= 1024: best fit in its large bin, via its skip list
//   5 from_binmap     the smallest chunk of the next non-empty bin above
//   6 from_top        split top
//   then, once, consolidate the fast bins and repeat 3..6; then sysmalloc.
//   A chunk from top may bring spares of its size (batch_from_top: our
//   departure for small and large blocks allocated in lockstep).
//
// A step returns the chunk to hand out, or none. A step that finds the heap
// corrupted records the error and returns none, and the search stops there.
#pragma once

#include <bit>

#include "sw/malloc/free_path.h"

namespace vmsim::pm {

template <typename Mem>
class MallocPath {
 public:
  MallocPath(Arena<Mem>& a, SystemMemory<Mem>& sys, FreePath<Mem>& free)
      : a_(a), c_(a.chunk), sys_(sys), free_(free) {}

  Chunk allocate(uint64_t nb, const char* call);

 private:
  // Each step is forced inline: allocate() then compiles to one function, as
  // glibc's _int_malloc is, instead of a call per step on every malloc.
  // The search ends: a chunk was found, or an error recorded.
  bool done(Chunk c) const { return c || a_.error; }
  [[gnu::always_inline]] inline Chunk from_fastbin(uint64_t nb, const char* call);
  [[gnu::always_inline]] inline Chunk from_smallbin(uint64_t nb, const char* call);
  [[gnu::always_inline]] inline Chunk take_oldest(Chunk bin, uint64_t nb, const char* call, const char* what);
  [[gnu::always_inline]] inline void stash_fast(uint64_t nb, unsigned idx, const char* call);
  [[gnu::always_inline]] inline void stash_small(uint64_t nb, Chunk bin, const char* call);
  [[gnu::always_inline]] inline Chunk from_unsorted(uint64_t nb, const char* call);
  [[gnu::always_inline]] inline Chunk from_largebin(uint64_t nb, const char* call);
  [[gnu::always_inline]] inline Chunk from_binmap(uint64_t nb, const char* call);
  [[gnu::always_inline]] inline Chunk from_top(uint64_t nb, const char* call);
  inline Chunk batch_from_top(uint64_t nb, Chunk c);
  [[gnu::always_inline]] inline bool check_unsorted(Chunk v, Chunk bck, uint64_t sz, const char* call);
  [[gnu::always_inline]] inline Chunk split_last_remainder(Chunk v, uint64_t sz, uint64_t nb);
  [[gnu::always_inline]] inline uint64_t take_run(Chunk v, uint64_t vsz, uint64_t nb);
  [[gnu::always_inline]] inline Chunk take_and_split(Chunk v, unsigned idx, uint64_t nb, bool set_remainder,
                                                     const char* call);
  [[gnu::always_inline]] inline Chunk split_and_return(Chunk v, uint64_t vsz, uint64_t nb,
                                                       bool set_remainder);
  Chunk failed(const char* call, Chunk p, const char* what) {
    a_.fail(call, p, what);
    return Chunk{};
  }

  Arena<Mem>& a_;
  ChunkFields<Mem>& c_;
  SystemMemory<Mem>& sys_;
  FreePath<Mem>& free_;
};

template <typename Mem>
Chunk MallocPath<Mem>::allocate(uint64_t nb, const char* call) {
  if (Chunk c = from_fastbin(nb, call); done(c)) return c;
  if (in_smallbin_range(nb)) {
    if (Chunk c = from_smallbin(nb, call); done(c)) return c;
  } else if (a_.fast.any()) {
    free_.consolidate();   // a large request: merge the fast bins' fragments first
    a_.batches.restart();  // and a phase has ended: lockstep must show itself again
    if (a_.error) return Chunk{};
  }
  for (int round = 0; round < 2; ++round) {
    if (Chunk c = from_unsorted(nb, call); done(c)) return c;
    if (!in_smallbin_range(nb)) {
      if (Chunk c = from_largebin(nb, call); done(c)) return c;
    }
    if (Chunk c = from_binmap(nb, call); done(c)) return c;
    if (Chunk c = from_top(nb, call); done(c)) return batch_from_top(nb, c);
    if (round == 0 && a_.fast.any()) {  // fragments may merge into something big enough: once
      free_.consolidate();
      continue;
    }
    break;
  }
  const Chunk c = sys_.sysmalloc(nb, call);
  return a_.heap.contains(payload_of(c)) ? batch_from_top(nb, c) : c;  // not a mapping (nor none)
}

// Our departure (top_batches.h): small chunks carved from top in lockstep with
// much larger ones bring spares of their size onto their fast bin, so they
// lie in runs. The heap does not grow for them: only top's room is used.
template <typename Mem>
inline Chunk MallocPath<Mem>::batch_from_top(uint64_t nb, Chunk c) {
  if (a_.error) return c;
  const unsigned want = a_.batches.on_carve(nb, a_.max_fast);
  if (!want) return c;
  const Chunk fresh = a_.fresh_carve;  // calloc asks about c, not the spares
  unsigned n = 0;
  for (; n < want && c_.size(a_.top) >= nb + kMinSize; ++n) {
    a_.fast.push(sys_.carve_from_top(nb), fastbin_index(nb));
  }
  a_.fresh_carve = fresh;
  a_.batches.gave(nb, n);
  ++a_.counters.top_batches;
  return c;
}

template <typename Mem>
inline Chunk MallocPath<Mem>::from_fastbin(uint64_t nb, const char* call) {
  if (nb > a_.max_fast) return Chunk{};
  const unsigned idx = fastbin_index(nb);
  const Chunk v = a_.fast.head(idx);
  if (!v) return Chunk{};
  const Chunk next = a_.fast.next(v);
  if (fastbin_index(c_.size(v)) != idx) return failed(call, v, "memory corruption (fast)");
  if (next.value() & kAlignMask) return failed(call, v, "unaligned fastbin chunk detected");
  a_.fast.set_head(idx, next);
  ++a_.counters.fastbin_hits;
  stash_fast(nb, idx, call);
  return v;
}

// glibc's stashing: once a fast bin serves a request, the next few chunks of
// the same size move to the tcache while the bin's head is at hand, so the
// next requests of that size take the tcache's fast path instead of this one.
// A small-bin hit does the same (stash_small).
template <typename Mem>
inline void MallocPath<Mem>::stash_fast(uint64_t nb, unsigned idx, const char* call) {
  if (nb > kTcacheMaxSize) return;
  a_.tcache.fill(tcache_index(nb), [&]() -> Chunk {
    const Chunk v = a_.fast.head(idx);
    if (!v) return Chunk{};
    const Chunk next = a_.fast.next(v);
    if (next.value() & kAlignMask) return failed(call, v, "unaligned fastbin chunk detected 3");
    a_.fast.set_head(idx, next);
    return v;
  });
}

template <typename Mem>
inline Chunk MallocPath<Mem>::from_smallbin(uint64_t nb, const char* call) {
  const unsigned idx = smallbin_index(nb);
  const Chunk bin = a_.bins.bin_at(idx);
  const Chunk v = take_oldest(bin, nb, call, "smallbin double linked list corrupted");
  if (!v) return Chunk{};
  ++a_.counters.smallbin_hits;
  stash_small(nb, bin, call);
  if (c_.bk(bin) == bin) a_.bins.unmark(idx);
  return v;
}

// glibc's stashing from a small bin: the bin's other chunks (oldest first)
// move to the tcache while it has room. Unlike glibc, each one's link is
// checked before it is taken (glibc's loop trusts it: the "tcache stashing
// unlink" attack).
template <typename Mem>
inline void MallocPath<Mem>::stash_small(uint64_t nb, Chunk bin, const char* call) {
  if (nb > kTcacheMaxSize) return;
  a_.tcache.fill(tcache_index(nb),
                 [&] { return take_oldest(bin, nb, call, "smallbin double linked list corrupted (stash)"); });
}

// Takes a small bin's oldest chunk (its bk end) and marks it in use: none when
// the bin is empty, or when its link back is wrong (`what` is recorded then).
template <typename Mem>
inline Chunk MallocPath<Mem>::take_oldest(Chunk bin, uint64_t nb, const char* call, const char* what) {
  const Chunk v = c_.bk(bin);
  if (v == bin) return Chunk{};
  const Chunk bck = c_.bk(v);
  if (c_.fd(bck) != v) return failed(call, v, what);
  c_.set_inuse_at(v, nb);
  c_.set_bk(bin, bck);
  c_.set_fd(bck, bin);
  return v;
}

template <typename Mem>
inline Chunk MallocPath<Mem>::from_unsorted(uint64_t nb, const char* call) {
  const Chunk ub = a_.bins.unsorted();
  const unsigned t = tcache_index(nb);
  bool cached = false;
  for (int iters = 0; iters < 10000; ++iters) {
    const Chunk v = c_.bk(ub);
    if (v == ub) break;
    const Chunk bck = c_.bk(v);
    const uint64_t sz = c_.size(v);
    if (!check_unsorted(v, bck, sz, call)) return Chunk{};
    if (in_smallbin_range(nb) && bck == ub && v == a_.last_remainder && sz > nb + kMinSize) {
      return split_last_remainder(v, sz, nb);
    }
    c_.set_bk(ub, bck);
    c_.set_fd(bck, ub);
    if (sz == nb) {
      c_.set_inuse_at(v, sz);
      ++a_.counters.unsorted_exact;
      // glibc fills the tcache with exact fits first and goes on sorting;
      // the request takes one of them at the end (or this one, once full).
      if (nb > kTcacheMaxSize || !a_.tcache.push(v, t)) return v;
      cached = true;
      continue;
    }
    if (const char* err = a_.bins.insert_sorted(v, sz, a_.walk_limit())) return failed(call, v, err);
  }
  if (!cached) return Chunk{};
  Payload bad;  // never set: the entry was written just now
  return chunk_of(a_.tcache.pop(t, bad));
}

template <typename Mem>
inline bool MallocPath<Mem>::check_unsorted(Chunk v, Chunk bck, uint64_t sz, const char* call) {
  const Chunk next = v + sz;
  const uint64_t end = a_.heap.end;
  if (sz < kMinSize || next.value() > end) return a_.fail(call, v, "invalid size (unsorted)");
  if (c_.size(next) < 16 || (next + c_.size(next)).value() > end + kMinSize) {
    return a_.fail(call, v, "invalid next size (unsorted)");
  }
  if (c_.prev_size(next) != sz) return a_.fail(call, v, "mismatching next->prev_size (unsorted)");
  if (c_.fd(bck) != v || c_.fd(v) != a_.bins.unsorted())
    return a_.fail(call, v, "unsorted double linked list corrupted");
  return true;
}

// The last remainder, alone in the unsorted bin, serves a small request and
// stays there, smaller: runs of small requests end up next to each other.
// In a run of one size (split_runs.h) it serves the tcache's stack too.
template <typename Mem>
inline Chunk MallocPath<Mem>::split_last_remainder(Chunk v, uint64_t sz, uint64_t nb) {
  const uint64_t taken = take_run(v, sz, nb);
  const Chunk ub = a_.bins.unsorted(), rem = v + taken;
  const uint64_t rsize = sz - taken;
  a_.last_remainder = rem;
  c_.set_fd(ub, rem);
  c_.set_bk(ub, rem);
  c_.set_fd(rem, ub);
  c_.set_bk(rem, ub);
  c_.set_head(v, nb | kPrevInUse);
  c_.set_head(rem, rsize | kPrevInUse);
  c_.set_foot(rem, rsize);
  if (!in_smallbin_range(rsize)) a_.bins.clear_nextsize(rem);
  ++a_.counters.last_remainder_splits;
  return v;
}

// Our departure (split_runs.h): the last remainder's split for a request in
// a run of its size takes, after the request's chunk, as many more of nb
// bytes as the size's tcache stack has room for, each in use, onto the stack
// (so the next requests pop them from the highest down). The remainder keeps
// glibc's bound: larger than kMinSize. The bytes taken from v: nb, and nb for
// each chunk stashed.
template <typename Mem>
inline uint64_t MallocPath<Mem>::take_run(Chunk v, uint64_t vsz, uint64_t nb) {
  uint64_t taken = nb;
  if (nb > kTcacheMaxSize || !a_.runs.on_split(nb)) return taken;
  a_.tcache.fill(tcache_index(nb), [&]() -> Chunk {
    if (vsz - taken <= nb + kMinSize) return Chunk{};
    const Chunk p = v + taken;
    c_.set_head(p, nb | kPrevInUse);
    taken += nb;
    return p;
  });
  a_.counters.split_stashed += taken / nb - 1;
  return taken;
}

template <typename Mem>
inline Chunk MallocPath<Mem>::from_largebin(uint64_t nb, const char* call) {
  const unsigned idx = largebin_index(nb);
  const Chunk bin = a_.bins.bin_at(idx);
  const char* err = nullptr;
  Chunk v =
      a_.bins.smallest_fit(idx, nb, a_.walk_limit(), err);  // best fit: the first of the smallest size >= nb
  if (err) return failed(call, bin, err);
  if (v == bin) return Chunk{};
  // glibc's choice among chunks of that size: the second when there is one
  // (the first keeps the skip-list links where they are), else the first.
  if (v != c_.bk(bin) && c_.size(c_.fd(v)) == c_.size(v)) v = c_.fd(v);
  const Chunk c = take_and_split(v, idx, nb, false, call);
  if (c) ++a_.counters.largebin_hits;
  return c;
}

template <typename Mem>
inline Chunk MallocPath<Mem>::from_binmap(uint64_t nb, const char* call) {
  for (unsigned i = bin_index(nb) + 1; i < kNBins;) {
    const uint32_t bits = a_.bins.map_from(i);
    if (!bits) {
      i = (i / 32 + 1) * 32;
      continue;
    }
    i += unsigned(std::countr_zero(bits));
    if (i >= kNBins) break;
    const Chunk bin = a_.bins.bin_at(i), v = c_.bk(bin);
    if (v == bin) {  // a stale bit: the bin emptied since
      a_.bins.unmark(i);
      ++i;
      continue;
    }
    const Chunk c = take_and_split(v, i, nb, in_smallbin_range(nb), call);
    if (c) ++a_.counters.binmap_hits;
    return c;
  }
  return Chunk{};
}

template <typename Mem>
inline Chunk MallocPath<Mem>::from_top(uint64_t nb, const char* call) {
  if (!a_.top) return Chunk{};
  const uint64_t tsz = c_.size(a_.top);
  if ((a_.top + tsz).value() != a_.heap.end) return failed(call, a_.top, "corrupted top size");
  if (tsz < nb + kMinSize) return Chunk{};
  return sys_.carve_from_top(nb);
}

// Unlinks v from bin idx and splits nb bytes off it.
template <typename Mem>
inline Chunk MallocPath<Mem>::take_and_split(Chunk v, unsigned idx, uint64_t nb, bool set_remainder,
                                             const char* call) {
  const uint64_t sz = c_.size(v);
  if (const char* err = a_.bins.unlink(v)) return a_.fail(call, v, err), Chunk{};
  if (a_.bins.empty(idx)) a_.bins.unmark(idx);
  return split_and_return(v, sz, nb, set_remainder);
}

// The first nb bytes of v are handed out; a remainder that can stand alone
// goes to the unsorted bin (and may become the last remainder).
template <typename Mem>
inline Chunk MallocPath<Mem>::split_and_return(Chunk v, uint64_t vsz, uint64_t nb, bool set_remainder) {
  const uint64_t rsize = vsz - nb;
  if (rsize < kMinSize) {  // too small to stand alone: hand out the whole chunk
    c_.set_inuse_at(v, vsz);
    return v;
  }
  const Chunk rem = v + nb;
  c_.set_head(v, nb | (c_.head(v) & kPrevInUse));
  c_.set_head(rem, rsize | kPrevInUse);
  c_.set_foot(rem, rsize);
  a_.bins.insert_unsorted(rem, rsize);
  if (set_remainder) a_.last_remainder = rem;
  return v;
}

}  // namespace vmsim::pm
