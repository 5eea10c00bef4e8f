// free_path.h: where a freed chunk goes (after the tcache, which the API
// tries first), and consolidation.
//
//   chunk <= max_fast                -> its fast bin, unmerged
//   otherwise, after the checks      -> merged with a free neighbour on each side,
//                                       into the unsorted bin, or into top when top follows
//   a merged chunk of 64 KiB or more -> consolidate the fast bins, and trim
//                                       top above the trim threshold
//
// consolidate() merges every fast-bin chunk with its free neighbours (the
// same two merges) and empties the fast bins.
#pragma once

#include "sw/malloc/system_memory.h"

namespace vmsim::pm {

template <typename Mem>
class FreePath {
 public:
  FreePath(Arena<Mem>& a, SystemMemory<Mem>& sys) : a_(a), c_(a.chunk), sys_(sys) {}

  void release(Chunk p, uint64_t sz, const char* call);
  // A chunk straight to the bins, merged with its free neighbours: never a
  // fast bin, whatever its size.
  void release_merged(Chunk p, uint64_t sz, const char* call);
  void consolidate();

 private:
  [[gnu::always_inline]] inline bool check_neighbours(Chunk p, uint64_t sz, const char* call);
  [[gnu::always_inline]] inline bool merge_backward(Chunk& p, uint64_t& sz, const char* call);
  [[gnu::always_inline]] inline bool merge_forward_and_place(Chunk p, uint64_t& sz, const char* call);

  Arena<Mem>& a_;
  ChunkFields<Mem>& c_;
  SystemMemory<Mem>& sys_;
};

template <typename Mem>
void FreePath<Mem>::release(Chunk p, uint64_t sz, const char* call) {
  const Chunk next = p + sz;
  if (sz <= a_.max_fast) {
    const uint64_t nsz = c_.size(next);
    if (nsz <= 2 * kSizeSz || (next + nsz).value() > a_.heap.end + kMinSize) {
      return (void)a_.fail(call, p, "invalid next size (fast)");
    }
    const unsigned idx = fastbin_index(sz);
    if (a_.fast.head(idx) == p) return (void)a_.fail(call, p, "double free or corruption (fasttop)");
    a_.fast.push(p, idx);
    return;
  }
  release_merged(p, sz, call);
}

template <typename Mem>
void FreePath<Mem>::release_merged(Chunk p, uint64_t sz, const char* call) {
  if (!check_neighbours(p, sz, call)) return;
  if (!merge_backward(p, sz, call) || !merge_forward_and_place(p, sz, call)) return;
  if (sz >= kFastbinConsolidationThreshold) {
    if (a_.fast.any()) consolidate();
    a_.batches.restart();  // a phase has ended: lockstep must show itself again
    if (a_.top_size() >= a_.trim_threshold) sys_.systrim(a_.top_pad);
  }
}

// glibc's checks on a chunk leaving for the bins: not top, inside the heap,
// marked in use by its successor, and a sane successor.
template <typename Mem>
inline bool FreePath<Mem>::check_neighbours(Chunk p, uint64_t sz, const char* call) {
  const Chunk next = p + sz;
  if (p == a_.top) return a_.fail(call, p, "double free or corruption (top)");
  if (next.value() > a_.heap.end) return a_.fail(call, p, "double free or corruption (out)");
  if (!c_.inuse_at(next, 0)) return a_.fail(call, p, "double free or corruption (!prev)");
  const uint64_t nsz = c_.size(next);
  if (nsz <= 2 * kSizeSz || (next + nsz).value() > a_.heap.end + kMinSize) {
    return a_.fail(call, p, "invalid next size (normal)");
  }
  return true;
}

// A freed chunk whose P bit is clear absorbs the free chunk before it
// (found through prev_size, which must agree with that chunk's size).
template <typename Mem>
inline bool FreePath<Mem>::merge_backward(Chunk& p, uint64_t& sz, const char* call) {
  if (c_.head(p) & kPrevInUse) return true;
  const uint64_t psz = c_.prev_size(p);
  p = p - psz;
  sz += psz;
  if (c_.size(p) != psz) return a_.fail(call, p, "corrupted size vs. prev_size while consolidating");
  if (const char* err = a_.bins.unlink(p)) return a_.fail(call, p, err);
  return true;
}

// Then it absorbs a free chunk after it, and goes to the unsorted bin; or,
// when the top chunk follows, it becomes part of top.
template <typename Mem>
inline bool FreePath<Mem>::merge_forward_and_place(Chunk p, uint64_t& sz, const char* call) {
  const Chunk next = p + sz;
  const uint64_t nsz = c_.size(next);
  if (next == a_.top) {
    sz += nsz;
    c_.set_head(p, sz | kPrevInUse);
    a_.top = p;
    return true;
  }
  if (!c_.inuse_at(next, nsz)) {
    if (const char* err = a_.bins.unlink(next)) return a_.fail(call, next, err);
    sz += nsz;
  } else {
    c_.clear_inuse_at(next, 0);
  }
  a_.bins.insert_unsorted(p, sz);
  c_.set_head(p, sz | kPrevInUse);
  c_.set_foot(p, sz);
  return true;
}

template <typename Mem>
void FreePath<Mem>::consolidate() {
  ++a_.counters.consolidations;
  for (unsigned i = 0; i < kNFastBins; ++i) {
    Chunk p = a_.fast.head(i);
    a_.fast.set_head(i, Chunk{});
    while (p && !a_.error && !a_.mem.failed()) {
      const Chunk next_in_bin = a_.fast.next(p);
      if (fastbin_index(c_.size(p)) != i) {
        a_.fail("malloc_consolidate", p, "invalid chunk size in fast bin");
        return;
      }
      uint64_t sz = c_.size(p);
      if (!merge_backward(p, sz, "malloc_consolidate") ||
          !merge_forward_and_place(p, sz, "malloc_consolidate")) {
        return;
      }
      p = next_in_bin;
    }
  }
}

}  // namespace vmsim::pm
