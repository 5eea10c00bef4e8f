// chunk.h: the chunk layout of a ptmalloc heap (as glibc's malloc.c).
//
//   chunk ─►  +0  prev_size   size of the previous chunk, if it is free
//             +8  size | A M P (low bits: P = previous chunk in use, M = mmapped)
//   mem   ─► +16  fd          free chunks: next in bin  (in use: payload)
//            +24  bk          free chunks: previous in bin
//            +32  fd_nextsize large bins only (unused here)
//            ...
//   next  ─►      prev_size of the next chunk = this size when this chunk is free (footer)
//
// Chunks are 16-byte aligned and at least 32 bytes. A chunk in use spills
// its payload into the next chunk's prev_size field (it is only meaningful
// when this chunk is free), so the overhead of a chunk in use is 8 bytes.
#pragma once

#include <cstdint>

namespace vmsim::pm {

inline constexpr uint64_t kSizeSz = 8;
inline constexpr uint64_t kAlign = 16;
inline constexpr uint64_t kAlignMask = kAlign - 1;
inline constexpr uint64_t kMinSize = 32;
inline constexpr uint64_t kPrevInUse = 1;
inline constexpr uint64_t kIsMmapped = 2;
inline constexpr uint64_t kFlags = 7;
inline constexpr uint64_t kPage = 4096;

inline constexpr unsigned kNBins = 128;  // 1 unsorted, 2..63 small, 64..126 large
inline constexpr unsigned kUnsorted = 1;
inline constexpr uint64_t kMinLargeSize = 1024;  // smaller chunks go to exact-size small bins
inline constexpr unsigned kNFastBins = 10;
inline constexpr unsigned kTcacheBins = 64;  // chunk sizes 32 .. 1040
inline constexpr uint64_t kTcacheMaxSize = kMinSize + (kTcacheBins - 1) * kAlign;
inline constexpr uint64_t kFastbinConsolidationThreshold = 65536;
inline constexpr uint64_t kDefaultMmapThreshold = 128 * 1024;
inline constexpr uint64_t kDefaultMmapThresholdMax = uint64_t{32} << 20;  // 4 * 1024 * 1024 * sizeof(long)
inline constexpr uint64_t kDefaultTrimThreshold = 128 * 1024;
inline constexpr uint64_t kDefaultTopPad = 128 * 1024;

constexpr uint64_t chunk2mem(uint64_t c) {
  return c + 2 * kSizeSz;
}
constexpr uint64_t mem2chunk(uint64_t m) {
  return m - 2 * kSizeSz;
}
constexpr uint64_t request2size(uint64_t req) {
  return req + kSizeSz + kAlignMask < kMinSize ? kMinSize : (req + kSizeSz + kAlignMask) & ~kAlignMask;
}
constexpr unsigned smallbin_index(uint64_t sz) {
  return unsigned(sz >> 4);
}
constexpr bool in_smallbin_range(uint64_t sz) {
  return sz < kMinLargeSize;
}
// glibc's largebin_index_64: bins widen geometrically.
constexpr unsigned largebin_index(uint64_t sz) {
  return (sz >> 6) <= 48    ? unsigned(48 + (sz >> 6))
         : (sz >> 9) <= 20  ? unsigned(91 + (sz >> 9))
         : (sz >> 12) <= 10 ? unsigned(110 + (sz >> 12))
         : (sz >> 15) <= 4  ? unsigned(119 + (sz >> 15))
         : (sz >> 18) <= 2  ? unsigned(124 + (sz >> 18))
                            : 126;
}
constexpr unsigned bin_index(uint64_t sz) {
  return in_smallbin_range(sz) ? smallbin_index(sz) : largebin_index(sz);
}
constexpr unsigned fastbin_index(uint64_t sz) {
  return unsigned((sz >> 4) - 2);
}
constexpr unsigned tcache_index(uint64_t sz) {
  return unsigned((sz - kMinSize + kAlign - 1) / kAlign);
}

}  // namespace vmsim::pm
