// The allocator over host memory, as the malloc unit tests use it.
#pragma once

#include "sw/malloc/ptmalloc.h"

namespace vmsim::test {

struct Heap {
  NativeHeap mem;
  Ptmalloc<NativeHeap> a{mem};
};

}  // namespace vmsim::test
