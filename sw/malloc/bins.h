// bins.h: the free chunks' bins.
//
// Bins: the unsorted, small and large bins. Each is a circular doubly linked
// list through a pseudo-chunk header kept at the start of the heap (as glibc
// keeps them in its arena), so unlinking a chunk never needs to know its bin.
// The bin map has a bit per bin, set when a chunk goes in; a search skips
// bins whose bit is clear (a set bit may be stale, and is cleared on sight).
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
  const char* unlink(Chunk p) {
    const uint64_t sz = c_.size(p);
    if (c_.prev_size(p + sz) != sz) return "corrupted size vs. prev_size";
    const Chunk f = c_.fd(p), b = c_.bk(p);
    if (c_.bk(f) != p || c_.fd(b) != p) return "corrupted double-linked list";
    c_.set_bk(f, b);
    c_.set_fd(b, f);
    return nullptr;
  }

  void insert_unsorted(Chunk p) {
    const Chunk ub = unsorted(), first = c_.fd(ub);
    c_.set_fd(p, first);
    c_.set_bk(p, ub);
    c_.set_bk(first, p);
    c_.set_fd(ub, p);
  }

  // Into its small bin, or its large bin kept sorted by size, largest first.
  // A chunk of a size the large bin holds already goes second among them, as
  // glibc inserts it (the first of a size carries glibc's skip-list links and
  // stays put), so the same frees leave the same order as glibc's.
  void insert_sorted(Chunk p, uint64_t sz) {
    const unsigned idx = bin_index(sz);
    const Chunk bin = bin_at(idx);
    Chunk bck = bin, fwd = c_.fd(bin);
    if (!in_smallbin_range(sz)) {
      while (fwd != bin && c_.size(fwd) > sz && !c_.failed()) bck = fwd, fwd = c_.fd(fwd);
      if (fwd != bin && c_.size(fwd) == sz) bck = fwd, fwd = c_.fd(fwd);
    }
    c_.set_fd(p, fwd);
    c_.set_bk(p, bck);
    c_.set_bk(fwd, p);
    c_.set_fd(bck, p);
    mark(idx);
  }

 private:
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
