// bin_index.h: which bin a chunk size belongs to.
//
//   tcache      64 bins, chunk sizes 32 .. 1040, one size each
//   fast bins   10 bins, chunk sizes 32 .. 176 (up to max_fast), one size each
//   bin 1       the unsorted bin
//   bins 2..63  small bins: exact sizes, 16 apart, below 1024
//   bins 64..126 large bins: ranges widening geometrically (glibc's largebin_index_64)
#pragma once

#include "sw/malloc/chunk.h"

namespace vmsim::pm {

inline constexpr unsigned kNBins = 128;  // 1 unsorted, 2..63 small, 64..126 large
inline constexpr unsigned kUnsorted = 1;
inline constexpr uint64_t kMinLargeSize = 1024;  // smaller chunks go to exact-size small bins
inline constexpr unsigned kNFastBins = 10;
inline constexpr unsigned kTcacheBins = 64;  // chunk sizes 32 .. 1040
inline constexpr uint64_t kTcacheMaxSize = kMinSize + (kTcacheBins - 1) * kAlign;

constexpr unsigned smallbin_index(uint64_t sz) {
  return unsigned(sz >> 4);
}
constexpr bool in_smallbin_range(uint64_t sz) {
  return sz < kMinLargeSize;
}
[[gnu::always_inline]] constexpr unsigned largebin_index(uint64_t sz) {
  return (sz >> 6) <= 48    ? unsigned(48 + (sz >> 6))
         : (sz >> 9) <= 20  ? unsigned(91 + (sz >> 9))
         : (sz >> 12) <= 10 ? unsigned(110 + (sz >> 12))
         : (sz >> 15) <= 4  ? unsigned(119 + (sz >> 15))
         : (sz >> 18) <= 2  ? unsigned(124 + (sz >> 18))
                            : 126;
}
[[gnu::always_inline]] constexpr unsigned bin_index(uint64_t sz) {
  return in_smallbin_range(sz) ? smallbin_index(sz) : largebin_index(sz);
}
constexpr unsigned fastbin_index(uint64_t sz) {
  return unsigned((sz >> 4) - 2);
}
constexpr unsigned tcache_index(uint64_t sz) {
  return unsigned((sz - kMinSize + kAlign - 1) / kAlign);
}

}  // namespace vmsim::pm
