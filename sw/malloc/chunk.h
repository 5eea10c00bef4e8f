// chunk.h: the chunk layout of a ptmalloc heap (as glibc's malloc.c), and
// the two kinds of heap address.
//
//   chunk   ─►  +0  prev_size   size of the previous chunk, if it is free
//               +8  size | A M P (low bits: P = previous chunk in use, M = mmapped)
//   payload ─► +16  fd          free chunks: next in bin  (in use: payload)
//              +24  bk          free chunks: previous in bin
//              ...
//   next    ─►      prev_size of the next chunk = this size when this chunk is free (footer)
//
// Chunks are 16-byte aligned and at least 32 bytes. A chunk in use spills
// its payload into the next chunk's prev_size field (it is only meaningful
// when this chunk is free), so the overhead of a chunk in use is 8 bytes.
//
// Chunk and Payload are distinct types: the allocator works on chunks, the
// caller gets payloads, and passing one where the other is meant does not
// compile. payload_of() and chunk_of() convert.
#pragma once

#include <compare>
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

inline constexpr uint64_t kFastbinConsolidationThreshold = 65536;
inline constexpr uint64_t kDefaultMmapThreshold = 128 * 1024;
inline constexpr uint64_t kDefaultMmapThresholdMax = uint64_t{32} << 20;  // 4 * 1024 * 1024 * sizeof(long)
inline constexpr uint64_t kDefaultTrimThreshold = 128 * 1024;
inline constexpr uint64_t kDefaultTopPad = 128 * 1024;

// An address in the heap. Offsets move it; two of a kind give a distance;
// zero is "none" (NULL).
template <typename Tag>
class HeapAddr {
 public:
  constexpr HeapAddr() = default;
  constexpr explicit HeapAddr(uint64_t v) : v_(v) {}
  constexpr uint64_t value() const { return v_; }
  constexpr explicit operator bool() const { return v_ != 0; }
  friend constexpr HeapAddr operator+(HeapAddr a, uint64_t n) { return HeapAddr{a.v_ + n}; }
  friend constexpr HeapAddr operator-(HeapAddr a, uint64_t n) { return HeapAddr{a.v_ - n}; }
  friend constexpr uint64_t operator-(HeapAddr a, HeapAddr b) { return a.v_ - b.v_; }
  constexpr auto operator<=>(const HeapAddr&) const = default;

 private:
  uint64_t v_ = 0;
};

using Chunk = HeapAddr<struct ChunkTag>;      // a chunk's header (its prev_size field)
using Payload = HeapAddr<struct PayloadTag>;  // what malloc returns: the chunk + 16

constexpr Payload payload_of(Chunk c) {
  return Payload{c.value() + 2 * kSizeSz};
}
constexpr Chunk chunk_of(Payload m) {
  return Chunk{m.value() - 2 * kSizeSz};
}

// The chunk size that holds `req` bytes of payload.
constexpr uint64_t request2size(uint64_t req) {
  return req + kSizeSz + kAlignMask < kMinSize ? kMinSize : (req + kSizeSz + kAlignMask) & ~kAlignMask;
}

// Payload bytes a chunk of `size` gives: an mmapped chunk has no next chunk
// whose prev_size it could use.
constexpr uint64_t usable_bytes(uint64_t size, bool mmapped) {
  return mmapped ? size - 2 * kSizeSz : size - kSizeSz;
}

// Safe-linking (glibc 2.32): a singly linked free list (tcache, fast bins)
// stores each next pointer xor the address it is stored at, shifted by 12,
// so an overwritten pointer is unlikely to decode to an aligned one. The same
// operation encodes and decodes.
constexpr uint64_t safe_link(Payload stored_at, uint64_t ptr) {
  return ptr ^ (stored_at.value() >> 12);
}

}  // namespace vmsim::pm
