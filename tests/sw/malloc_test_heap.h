// The allocator over host memory, as the malloc unit tests use it.
#pragma once

#include <cstdint>
#include <vector>

#include "sw/malloc/ptmalloc.h"

namespace vmsim::test {

struct Heap {
  NativeHeap mem;
  Ptmalloc<NativeHeap> a{mem};
};

// n blocks of `size` bytes, each followed by a guard block of `guard` bytes
// that stays allocated, so no two of the blocks merge once freed. Returns the
// blocks. (A guard less than half a block's size, carved in lockstep with the
// blocks, would bring spares along: sw/malloc/top_batches.h.)
inline std::vector<uint64_t> guarded(Heap& h, int n, uint64_t size, uint64_t guard) {
  std::vector<uint64_t> blocks;
  for (int i = 0; i < n; ++i) {
    blocks.push_back(h.a.malloc(size));
    h.a.malloc(guard);
  }
  return blocks;
}

}  // namespace vmsim::test
