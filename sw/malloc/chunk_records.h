// chunk_records.h: the allocator's host-side record of what it handed out,
// for catching misuse: a pointer malloc never returned (foreign, interior),
// and a double free.
//
// Brk heap: a byte per 16-byte granule (live; freed since), 1/16 of the
// heap's size on the host. Mmapped chunks: a set of live payloads. The record is kept outside the heap, so a
// guest that overwrites its headers cannot fool it. It is on every malloc's
// and free's path, so it lives in this header, forced inline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <utility>
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
    const size_t n = size_t((heap_.end - heap_.start) / kAlign);
    if (granules_.size() < n) granules_.resize(n, State::kUnknown);
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
  // An mmapped chunk that mremap moved: its record is re-keyed in place (no
  // host allocation on realloc's path).
  void note_moved_mmapped(Payload from, Payload to) {
    auto node = mmapped_.extract(from.value());
    if (node.empty()) return;
    node.value() = to.value();
    mmapped_.insert(std::move(node));
  }
  // free's look: the state found, and a live chunk becomes freed in the same
  // look (one granule lookup on free's path, not two). m must be aligned.
  [[gnu::always_inline]] State take_for_free(Payload m) {
    if (!heap_.contains(m)) return mmapped_.erase(m.value()) ? State::kLive : State::kUnknown;
    State& g = granules_[(m.value() - heap_.start) / kAlign];
    const State s = g;
    if (s == State::kLive) g = State::kFreed;
    return s;
  }
  // Never handed out after all (memalign's leading fragment).
  void forget(Payload m) { set_granule(m, State::kUnknown); }
  [[gnu::always_inline]] State state(Payload m) const {
    if (!heap_.contains(m)) return mmapped_.count(m.value()) ? State::kLive : State::kUnknown;
    return granules_[(m.value() - heap_.start) / kAlign];
  }

 private:
  [[gnu::always_inline]] void set_granule(Payload m, State s) {
    granules_[(m.value() - heap_.start) / kAlign] = s;
  }

  HeapRange heap_;
  std::vector<State> granules_;           // a byte a granule: a store, not a read-modify-write
  std::unordered_set<uint64_t> mmapped_;  // live mmapped payloads
};

}  // namespace vmsim::pm
