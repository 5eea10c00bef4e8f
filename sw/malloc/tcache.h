// tcache.h: per-size stacks of recently freed chunks (glibc 2.26+), the
// fast path of malloc and free: no locking, no coalescing, a few loads.
//
// An entry's payload holds the safe-linked next pointer at +0 and the
// tcache's key at +8. The key marks "maybe in the tcache", so free can look
// for a double free only when the key is there.
#pragma once

#include <array>

#include "sw/malloc/bin_index.h"

namespace vmsim::pm {

template <typename Mem>
class Tcache {
 public:
  Tcache(Mem& mem, uint64_t key) : mem_(mem), key_(key) {}

  unsigned count(unsigned idx) const { return counts_[idx]; }
  bool has_room(unsigned idx) const { return counts_[idx] < limit_; }
  void set_limit(unsigned n) { limit_ = n; }

  [[gnu::always_inline]] void put(Chunk p, unsigned idx) {
    const Payload e = payload_of(p);
    mem_.store(e.value() + 8, key_);
    mem_.store(e.value(), safe_link(e, heads_[idx].value()));
    heads_[idx] = e;
    ++counts_[idx];
  }

  // Pops the top entry; a null payload when its next pointer was overwritten
  // (`corrupt` then says so).
  [[gnu::always_inline]] Payload get(unsigned idx, bool& corrupt) {
    const Payload e = heads_[idx];
    const uint64_t next = safe_link(e, mem_.load(e.value()));
    corrupt = next & kAlignMask;
    if (corrupt) return Payload{};
    heads_[idx] = Payload{next};
    --counts_[idx];
    mem_.store(e.value() + 8, 0);
    return e;
  }
  Payload top(unsigned idx) const { return heads_[idx]; }

  // Whether m is in bin idx's stack; looks only when m carries the key.
  [[gnu::always_inline]] bool holds(Payload m, unsigned idx) {
    if (mem_.load(m.value() + 8) != key_) return false;
    Payload e = heads_[idx];
    for (unsigned n = 0; e && n < counts_[idx]; ++n) {
      if (e == m) return true;
      e = Payload{safe_link(e, mem_.load(e.value()))};
    }
    return false;
  }

 private:
  Mem& mem_;
  uint64_t key_;
  unsigned limit_ = 7;
  std::array<Payload, kTcacheBins> heads_{};
  std::array<uint16_t, kTcacheBins> counts_{};
};

}  // namespace vmsim::pm
