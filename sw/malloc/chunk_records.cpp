#include "sw/malloc/chunk_records.h"

#include <cstddef>

namespace vmsim::pm {

void ChunkRecords::note_heap_growth() {
  const size_t words = size_t(((heap_.end - heap_.start) / kAlign + 31) / 32);
  if (granules_.size() < words) granules_.resize(words, 0);
}

void ChunkRecords::set_granule(Payload m, State s) {
  const uint64_t g = (m.value() - heap_.start) / kAlign;
  uint64_t& w = granules_[g / 32];
  const unsigned shift = 2 * (g % 32);
  w = (w & ~(uint64_t{3} << shift)) | (uint64_t(s) << shift);
}

void ChunkRecords::record(Payload m, State s) {
  if (heap_.contains(m)) {
    set_granule(m, s);
  } else if (s == State::kLive) {
    mmapped_.insert(m.value());
  } else {
    mmapped_.erase(m.value());
  }
}

ChunkRecords::State ChunkRecords::state(Payload m) const {
  if (!heap_.contains(m)) return mmapped_.count(m.value()) ? State::kLive : State::kUnknown;
  const uint64_t g = (m.value() - heap_.start) / kAlign;
  return State((granules_[g / 32] >> (2 * (g % 32))) & 3);
}

}  // namespace vmsim::pm
