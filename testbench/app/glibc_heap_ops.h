// glibc_heap_ops.h: the file `vmsim malloc --glibc` hands vmsim-glibc-heap:
// a header, then one record per operation, each with its C meaning resolved
// (an id holding no block reads as NULL).
#pragma once

#include <cstdint>

namespace vmsim {

struct GlibcHeapHeader {
  static constexpr uint64_t kMagic = 0x7061656863626c67;  // "glbcheap"
  uint64_t magic = kMagic;
  uint64_t ops = 0;  // records that follow
  uint64_t ids = 0;  // every record's id is below this
};

struct GlibcHeapOp {
  enum Kind : uint32_t { kMalloc, kRealloc, kFree };
  uint32_t kind = kMalloc;
  uint32_t id = 0;
  uint64_t size = 0;  // malloc and realloc
};

}  // namespace vmsim
