// chunk_records.h: the allocator's host-side record of what it handed out,
// for catching misuse: a pointer malloc never returned (foreign, interior),
// and a double free.
//
// Brk heap: two bits per 16-byte granule (live; freed since). Mmapped
// chunks: a set of live payloads. The record is kept outside the heap, so a
// guest that overwrites its headers cannot fool it. It is on every malloc's
// and free's path, so it lives in this header, forced inline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "sw/malloc/chunk.h"

namespace vmsim::pm {

// The brk heap's extent: [start, end).
struct HeapRange {
  uint64_t start = 0, end = 0;
  bool contains(Payload m) const { return m.value() >= start && m.value() < end; }
};

class ChunkRecords {
 public:
  enum class State : uint8_t { kUnknown = 0, kLive = 1, kFreed = 2 };

  // Whenever the break moves (a copy, not a reference: one load less on
  // every malloc and free).
  void set_heap(const HeapRange& heap) {
    heap_ = heap;
    const size_t words = size_t(((heap_.end - heap_.start) / kAlign + 31) / 32);
    if (granules_.size() < words) granules_.resize(words, 0);
  }
  [[gnu::always_inline]] void note_allocated(Payload m) {
    if (heap_.contains(m)) {
      set_granule(m, State::kLive);
    } else {
      mmapped_.insert(m.value());
    }
  }
  [[gnu::always_inline]] void note_freed(Payload m) {
    if (heap_.contains(m)) {
      set_granule(m, State::kFreed);
    } else {
      mmapped_.erase(m.value());
    }
  }
  // Never handed out after all (memalign's leading fragment).
  void forget(Payload m) { set_granule(m, State::kUnknown); }
  [[gnu::always_inline]] State state(Payload m) const {
    if (!heap_.contains(m)) return mmapped_.count(m.value()) ? State::kLive : State::kUnknown;
    const uint64_t g = (m.value() - heap_.start) / kAlign;
    return State((granules_[g / 32] >> (2 * (g % 32))) & 3);
  }

 private:
  [[gnu::always_inline]] void set_granule(Payload m, State s) {
    const uint64_t g = (m.value() - heap_.start) / kAlign;
    uint64_t& w = granules_[g / 32];
    const unsigned shift = 2 * (g % 32);
    w = (w & ~(uint64_t{3} << shift)) | (uint64_t(s) << shift);
  }

  HeapRange heap_;
  std::vector<uint64_t> granules_;        // 32 granules a word
  std::unordered_set<uint64_t> mmapped_;  // live mmapped payloads
};

}  // namespace vmsim::pm
