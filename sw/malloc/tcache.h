// tcache.h: per-size stacks of recently freed chunks (glibc 2.26+), the
// fast path of malloc and free: no locking, no coalescing, a few loads.
//
// The stacks' heads and counts live where glibc keeps them: in the heap, in
// the first chunk the first malloc carves (tcache_perthread_struct, a
// 640-byte payload: 64 16-bit counts, then 64 entry pointers). So they cost
// the heap what they cost glibc's, every tcache operation is a memory access
// (in guest mode, through the MMU), and a guest that writes over them
// corrupts them as it would glibc's.
//
// An entry's payload holds the safe-linked next pointer at +0 and the
// tcache's key at +8, as glibc's. glibc's free looks for the key to catch a
// double free; ours need not (the host-side record of live chunks catches
// every double free first), so the key is written for the layout's sake.
#pragma once

#include "sw/malloc/bin_index.h"

namespace vmsim::pm {

inline constexpr uint64_t kTcacheStructBytes = kTcacheBins * 2 + kTcacheBins * 8;  // counts, entries

template <typename Mem>
class Tcache {
 public:
  Tcache(Mem& mem, uint64_t key) : mem_(mem), key_(key) {}

  // The struct's payload, zeroed, once the first malloc has carved it; until
  // then every stack is empty and has no room.
  void place(Payload at) {
    base_ = at.value();
    for (uint64_t off = 0; off < kTcacheStructBytes; off += 8) mem_.store(base_ + off, 0);
    limit_ = wanted_;
  }
  Payload where() const { return Payload{base_}; }

  unsigned count(unsigned idx) { return base_ ? mem_.load16(count_at(idx)) : 0; }
  void set_limit(unsigned n) {
    wanted_ = n;
    if (base_) limit_ = n;
  }

  // malloc's and free's fast paths (and the unsorted bin's exact fits): each
  // reads the 16-bit count once and writes it once.
  // Pops the top entry, or gives null when the stack is empty; `bad` names the
  // entry when its next pointer was overwritten (null is given then too).
  [[gnu::always_inline]] Payload pop(unsigned idx, Payload& bad) {
    if (!base_) return Payload{};
    const uint16_t n = mem_.load16(count_at(idx));
    if (!n) return Payload{};
    const Payload e{mem_.load(entry(idx))};
    const uint64_t next = safe_link(e, mem_.load(e.value()));
    if (next & kAlignMask) return bad = e, Payload{};
    mem_.store(entry(idx), next);
    mem_.store16(count_at(idx), uint16_t(n - 1));
    mem_.store(e.value() + 8, 0);
    return e;
  }
  // Pushes p when its stack has room; whether it did.
  [[gnu::always_inline]] bool push(Chunk p, unsigned idx) {
    if (!base_) return false;
    const uint16_t n = mem_.load16(count_at(idx));
    if (n >= limit_) return false;
    mem_.store(entry(idx), link(payload_of(p), mem_.load(entry(idx))));
    mem_.store16(count_at(idx), uint16_t(n + 1));
    return true;
  }

  // Stashing: pushes the chunks take() gives (a null chunk ends the run)
  // while stack idx has room, with the count and the head read and written
  // once for the whole run, not once a chunk.
  template <typename Take>
  [[gnu::always_inline]] void fill(unsigned idx, Take take) {
    if (!base_) return;
    const unsigned have = mem_.load16(count_at(idx));
    uint64_t head = mem_.load(entry(idx));
    unsigned n = 0;
    for (; have + n < limit_; ++n) {
      const Chunk p = take();
      if (!p) break;
      head = link(payload_of(p), head);
    }
    if (!n) return;
    mem_.store(entry(idx), head);
    mem_.store16(count_at(idx), uint16_t(have + n));
  }

 private:
  // Makes e an entry whose next is `head` (glibc's key, the safe-linked
  // pointer); the new head, e itself.
  [[gnu::always_inline]] uint64_t link(Payload e, uint64_t head) {
    mem_.store(e.value() + 8, key_);
    mem_.store(e.value(), safe_link(e, head));
    return e.value();
  }
  // glibc's layout: uint16_t counts[64], then tcache_entry* entries[64].
  uint64_t count_at(unsigned idx) const { return base_ + uint64_t(idx) * 2; }
  uint64_t entry(unsigned idx) const { return base_ + kTcacheBins * 2 + uint64_t(idx) * 8; }

  Mem& mem_;
  uint64_t key_;
  uint64_t base_ = 0;  // the struct's payload; 0 before the first malloc
  unsigned limit_ = 0, wanted_ = 7;
};

}  // namespace vmsim::pm
