// chunk_fields.h: reading and writing a chunk's header fields in heap memory.
//
// Every access is one 8-byte load or store of the backend (in guest mode, a
// translation through the MMU), so each accessor costs exactly one.
#pragma once

#include "sw/malloc/chunk.h"

namespace vmsim::pm {

template <typename Mem>
class ChunkFields {
 public:
  explicit ChunkFields(Mem& mem) : mem_(mem) {}

  uint64_t head(Chunk c) { return mem_.load(c.value() + 8); }  // size | flags
  uint64_t size(Chunk c) { return head(c) & ~kFlags; }
  bool mmapped(Chunk c) { return head(c) & kIsMmapped; }
  void set_head(Chunk c, uint64_t v) { mem_.store(c.value() + 8, v); }
  uint64_t prev_size(Chunk c) { return mem_.load(c.value()); }
  void set_prev_size(Chunk c, uint64_t v) { mem_.store(c.value(), v); }
  void set_foot(Chunk c, uint64_t sz) { set_prev_size(c + sz, sz); }  // the next chunk's prev_size

  // Bin links of a free chunk.
  Chunk fd(Chunk c) { return Chunk{mem_.load(c.value() + 16)}; }
  Chunk bk(Chunk c) { return Chunk{mem_.load(c.value() + 24)}; }
  void set_fd(Chunk c, Chunk v) { mem_.store(c.value() + 16, v.value()); }
  void set_bk(Chunk c, Chunk v) { mem_.store(c.value() + 24, v.value()); }
  // A large bin's skip list (glibc's fd_nextsize, bk_nextsize): the first
  // chunk of each size links to the first of the next smaller and larger
  // size; the other chunks of that size, and large chunks in the unsorted
  // bin, hold zero in fd_nextsize. Large chunks only (>= 1024 bytes).
  Chunk fd_nextsize(Chunk c) { return Chunk{mem_.load(c.value() + 32)}; }
  Chunk bk_nextsize(Chunk c) { return Chunk{mem_.load(c.value() + 40)}; }
  void set_fd_nextsize(Chunk c, Chunk v) { mem_.store(c.value() + 32, v.value()); }
  void set_bk_nextsize(Chunk c, Chunk v) { mem_.store(c.value() + 40, v.value()); }
  // The fd word as stored: a safe-linked pointer in tcache and fast-bin chunks.
  uint64_t link(Chunk c) { return mem_.load(c.value() + 16); }
  void set_link(Chunk c, uint64_t v) { mem_.store(c.value() + 16, v); }

  // The P bit of the chunk at c + off, i.e. whether the chunk before it is in use.
  bool inuse_at(Chunk c, uint64_t off) { return head(c + off) & kPrevInUse; }
  void set_inuse_at(Chunk c, uint64_t off) { set_head(c + off, head(c + off) | kPrevInUse); }
  void clear_inuse_at(Chunk c, uint64_t off) { set_head(c + off, head(c + off) & ~kPrevInUse); }

  // Payload bytes of a chunk (two loads: the flags, then the size).
  uint64_t usable(Chunk c) {
    const bool m = mmapped(c);
    return usable_bytes(size(c), m);
  }

  // The backend failed (the guest process has ended): loads read zeros from here on.
  bool failed() const { return mem_.failed(); }
  Mem& memory() { return mem_; }

 private:
  Mem& mem_;
};

}  // namespace vmsim::pm
