// bins.h: the free chunks' bins.
//
// Bins: the unsorted, small and large bins. Each is a circular doubly linked
// list through a pseudo-chunk header kept at the start of the heap (as glibc
// keeps them in its arena), so unlinking a chunk never needs to know its bin.
// The bin map has a bit per bin, set when a chunk goes in; a search skips
// bins whose bit is clear (a set bit may be stale, and is cleared on sight).
//
// A large bin is sorted by size, largest first, and the first chunk of each
// size is also on a second circular list, the skip list (fd_nextsize to the
// next smaller size, bk_nextsize to the next larger), as glibc keeps it: a
// search or an insertion steps over sizes, not over chunks, so a bin holding
// thousands of free chunks of a few sizes costs a few steps, not thousands.
//
// FastBins: LIFO singly linked lists of small chunks, safe-linked, never
// coalesced until consolidation.
//
// Mutators that find a corrupted list return what is wrong (nullptr when all
// is well); the caller records it as the allocator's error.
#pragma once

#include <array>

#include "sw/malloc/bin_index.h"
#include "sw/malloc/chunk_fields.h"

namespace vmsim::pm {

template <typename Mem>
class Bins {
 public:
  explicit Bins(ChunkFields<Mem>& c) : c_(c) {}

  // Lays the bin headers out at `base` (kNBins * 16 bytes), each list empty.
  void init(uint64_t base) {
    base_ = base;
    for (unsigned i = 1; i < kNBins; ++i) {
      c_.set_fd(bin_at(i), bin_at(i));
      c_.set_bk(bin_at(i), bin_at(i));
    }
  }
  Chunk bin_at(unsigned i) const { return Chunk{base_ + (uint64_t(i) - 1) * 16 - 16}; }
  Chunk unsorted() const { return bin_at(kUnsorted); }
  bool empty(unsigned i) { return c_.fd(bin_at(i)) == bin_at(i); }

  void mark(unsigned i) { map_[i / 32] |= 1u << (i % 32); }
  void unmark(unsigned i) { map_[i / 32] &= ~(1u << (i % 32)); }
  // The map's bits for bins i and up within i's word (bit 0 is bin i).
  uint32_t map_from(unsigned i) const { return map_[i / 32] >> (i % 32); }

  // Takes p out of whatever bin it is in, after checking its footer and links.
  [[gnu::always_inline]] const char* unlink(Chunk p) {
    const uint64_t sz = c_.size(p);
    if (c_.prev_size(p + sz) != sz) return "corrupted size vs. prev_size";
    const Chunk f = c_.fd(p), b = c_.bk(p);
    if (c_.bk(f) != p || c_.fd(b) != p) return "corrupted double-linked list";
    c_.set_bk(f, b);
    c_.set_fd(b, f);
    return in_smallbin_range(sz) ? nullptr : unlink_nextsize(p, sz, f);
  }

  // sz: p's size. A large chunk's fd_nextsize is cleared: only a large bin's
  // chunks are on a skip list.
  void insert_unsorted(Chunk p, uint64_t sz) {
    const Chunk ub = unsorted(), first = c_.fd(ub);
    c_.set_fd(p, first);
    c_.set_bk(p, ub);
    c_.set_bk(first, p);
    c_.set_fd(ub, p);
    if (!in_smallbin_range(sz)) clear_nextsize(p);
  }
  // Large chunks entering the unsorted bin by another way (the last
  // remainder). fd_nextsize alone says whether a chunk is on a skip list;
  // bk_nextsize is read only where it is.
  void clear_nextsize(Chunk p) { c_.set_fd_nextsize(p, Chunk{}); }

  // Into its small bin, or its large bin kept sorted by size, largest first.
  // A chunk of a size the large bin holds already goes second among them, as
  // glibc inserts it (the first of a size carries the skip-list links and
  // stays put), so the same frees leave the same order as glibc's. What is
  // wrong with a corrupted large bin, or nullptr. max_steps: more than the
  // sizes a sane bin can hold (Arena::walk_limit); a walk that long is a cycle.
  const char* insert_sorted(Chunk p, uint64_t sz, uint64_t max_steps) {
    const unsigned idx = bin_index(sz);
    const Chunk bin = bin_at(idx);
    Chunk bck = bin, fwd = c_.fd(bin);
    if (!in_smallbin_range(sz)) {
      if (const char* err = place_in_large(p, sz, bin, bck, fwd, max_steps)) return err;
    }
    c_.set_fd(p, fwd);
    c_.set_bk(p, bck);
    c_.set_bk(fwd, p);
    c_.set_fd(bck, p);
    mark(idx);
    return nullptr;
  }

  // The first chunk of the smallest size >= nb in large bin idx (via the skip
  // list), or the bin itself when none is that large; err set on corruption.
  Chunk smallest_fit(unsigned idx, uint64_t nb, uint64_t max_steps, const char*& err) {
    const Chunk bin = bin_at(idx), largest = c_.fd(bin);
    if (largest == bin || c_.size(largest) < nb) return bin;
    Chunk v = c_.bk_nextsize(largest);  // the first of the smallest size
    for (uint64_t steps = max_steps; c_.size(v) < nb; v = c_.bk_nextsize(v)) {
      if (--steps == 0 || c_.failed()) return err = "corrupted double-linked list (nextsize)", bin;
    }
    return v;
  }

 private:
  // Where p goes in its large bin: sets bck and fwd around it, and links it
  // into the skip list when its size is new there.
  [[gnu::noinline]] const char* place_in_large(Chunk p, uint64_t sz, Chunk bin, Chunk& bck, Chunk& fwd,
                                               uint64_t max_steps) {
    if (fwd == bin) {  // the bin was empty: p is the whole skip list
      c_.set_fd_nextsize(p, p);
      c_.set_bk_nextsize(p, p);
      return nullptr;
    }
    const Chunk last = c_.bk(bin);
    if (sz < c_.size(last)) {  // smaller than all: goes last, after the smallest run
      const Chunk largest = fwd, smallest = c_.bk_nextsize(largest);
      bck = last;
      fwd = bin;
      c_.set_fd_nextsize(p, largest);
      c_.set_bk_nextsize(p, smallest);
      c_.set_bk_nextsize(largest, p);
      c_.set_fd_nextsize(smallest, p);
      return nullptr;
    }
    for (uint64_t steps = max_steps; sz < c_.size(fwd); fwd = c_.fd_nextsize(fwd)) {
      if (--steps == 0 || c_.failed()) return "malloc(): largebin double linked list corrupted (nextsize)";
    }
    if (sz == c_.size(fwd)) {
      c_.set_fd_nextsize(p, Chunk{});  // second of its size: no skip-list links
      fwd = c_.fd(fwd);
    } else {  // a new size, before the run of fwd's
      const Chunk larger = c_.bk_nextsize(fwd);
      if (c_.fd_nextsize(larger) != fwd) return "malloc(): largebin double linked list corrupted (nextsize)";
      c_.set_fd_nextsize(p, fwd);
      c_.set_bk_nextsize(p, larger);
      c_.set_bk_nextsize(fwd, p);
      c_.set_fd_nextsize(larger, p);
    }
    bck = c_.bk(fwd);
    if (c_.fd(bck) != fwd) return "malloc(): largebin double linked list corrupted (bk)";
    return nullptr;
  }

  // A run's first chunk leaves the skip list; the next of its size, f when
  // it is one, takes its place there.
  [[gnu::noinline]] const char* unlink_nextsize(Chunk p, uint64_t sz, Chunk f) {
    const Chunk nx = c_.fd_nextsize(p);
    if (!nx) return nullptr;  // not the first of its size, or in the unsorted bin
    const Chunk pv = c_.bk_nextsize(p);
    if (c_.bk_nextsize(nx) != p || c_.fd_nextsize(pv) != p) return "corrupted double-linked list (not small)";
    const bool heir = !c_.fd_nextsize(f) && f != bin_at(bin_index(sz));
    if (!heir) {
      c_.set_bk_nextsize(nx, pv);
      c_.set_fd_nextsize(pv, nx);
    } else if (nx == p) {  // the bin's only size
      c_.set_fd_nextsize(f, f);
      c_.set_bk_nextsize(f, f);
    } else {
      c_.set_fd_nextsize(f, nx);
      c_.set_bk_nextsize(f, pv);
      c_.set_bk_nextsize(nx, f);
      c_.set_fd_nextsize(pv, f);
    }
    return nullptr;
  }

  ChunkFields<Mem>& c_;
  uint64_t base_ = 0;
  std::array<uint32_t, 4> map_{};
};

template <typename Mem>
class FastBins {
 public:
  explicit FastBins(ChunkFields<Mem>& c) : c_(c) {}

  bool any() const {
    uint64_t all = 0;  // one OR per bin, no branches
    for (Chunk h : heads_) all |= h.value();
    return all != 0;
  }
  Chunk head(unsigned idx) const { return heads_[idx]; }
  void set_head(unsigned idx, Chunk p) { heads_[idx] = p; }
  void push(Chunk p, unsigned idx) {
    c_.set_link(p, safe_link(payload_of(p), heads_[idx].value()));
    heads_[idx] = p;
  }
  // The chunk after p in its list (decoded; may be garbage if p was overwritten).
  Chunk next(Chunk p) { return Chunk{safe_link(payload_of(p), c_.link(p))}; }

 private:
  ChunkFields<Mem>& c_;
  std::array<Chunk, kNFastBins> heads_{};
};

}  // namespace vmsim::pm
