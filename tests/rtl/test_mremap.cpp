// mremap in the guest kernel, over the RTL MMU: a mapping grows in place,
// moves, or shrinks; a move carries the page-table entries and copies no
// data (the frames are the same ones); the allocator's realloc of an
// mmapped block uses it, as glibc's does.
#include <catch2/catch.hpp>

#include "support/kernel_fixture.h"
#include "sw/malloc/ptmalloc.h"

using namespace vmsim;
using test::Kernel;
using test::kRW;

namespace {

Ppn frame_at(Kernel& k, uint64_t va) {
  const auto leaf = k.rt.space().table().find_leaf(VirtAddr{va});
  REQUIRE(leaf);
  return pte::ppn(leaf->entry);
}

}  // namespace

TEST_CASE("mremap moves a mapping it cannot grow in place by moving its PTEs: same frames, same data",
          "[mm][mremap]") {
  Kernel k(Kernel::svadu());
  const VirtAddr a = *k.rt.mmap(4 * kPageSize, kRW);
  const VirtAddr b = *k.rt.mmap(kPageSize, kRW);  // right after a: a cannot grow in place
  REQUIRE(b.value() == a.value() + 4 * kPageSize);
  std::vector<Ppn> frames;
  for (uint64_t i = 0; i < 4; ++i) {
    k.write(a.value() + i * kPageSize + 8, 0x100 + i);
    frames.push_back(frame_at(k, a.value() + i * kPageSize));
  }
  const uint64_t used = k.rt.frames().used();
  const auto minor = k.rt.stats().faults.minor;
  const std::optional<VirtAddr> n = k.rt.mremap(a, 4 * kPageSize, 16 * kPageSize, true);
  REQUIRE(n);
  REQUIRE(*n != a);
  for (uint64_t i = 0; i < 4; ++i) {
    INFO("page " << i);
    REQUIRE(frame_at(k, n->value() + i * kPageSize) == frames[i]);  // the PTE moved: no copy
    REQUIRE(k.read(n->value() + i * kPageSize + 8) == 0x100 + i);
  }
  REQUIRE(k.rt.stats().faults.minor == minor);        // moved pages are mapped: no fault to reach them
  REQUIRE(k.read(n->value() + 10 * kPageSize) == 0);  // the new part: lazily zero
  REQUIRE(k.rt.frames().used() <= used + 1 + 3);      // one new page, and at most a few table frames
  REQUIRE_FALSE(k.rt.space().find(a));                // the old range is gone
  REQUIRE_FALSE(k.rt.space().table().find_leaf(a));
  REQUIRE(k.rt.audit().clean());
  REQUIRE_FALSE(k.rt.load(a, 8, Priv::kUser).ok);  // and the TLB was fenced
}

TEST_CASE("mremap grows a mapping in place when the addresses after it are free, and shrinks it in place",
          "[mm][mremap]") {
  Kernel k(Kernel::svadu());
  const VirtAddr a = *k.rt.mmap(2 * kPageSize, kRW);
  k.write(a.value(), 7);
  const Ppn f = frame_at(k, a.value());
  REQUIRE(k.rt.mremap(a, 2 * kPageSize, 8 * kPageSize, false) == a);
  REQUIRE(frame_at(k, a.value()) == f);
  k.write(a.value() + 7 * kPageSize, 9);
  REQUIRE(k.read(a.value()) == 7);
  const uint64_t used = k.rt.frames().used();
  REQUIRE(k.rt.mremap(a, 8 * kPageSize, kPageSize, false) == a);  // shrink: the tail is unmapped
  REQUIRE(k.rt.frames().used() == used - 1);                      // page 7's frame is free again
  REQUIRE(k.read(a.value()) == 7);
  REQUIRE_FALSE(k.rt.space().find(VirtAddr{a.value() + kPageSize}));
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("mremap refuses what Linux refuses and changes nothing then", "[mm][mremap]") {
  Kernel k(Kernel::svadu());
  const VirtAddr a = *k.rt.mmap(2 * kPageSize, kRW);
  k.write(a.value(), 1);
  REQUIRE(k.rt.mmap(kPageSize, kRW));                                  // blocks growing in place
  REQUIRE_FALSE(k.rt.mremap(a, 2 * kPageSize, 4 * kPageSize, false));  // no room, may not move
  REQUIRE_FALSE(k.rt.mremap(VirtAddr{a.value() + 8}, kPageSize, 2 * kPageSize, true));  // unaligned
  REQUIRE_FALSE(k.rt.mremap(a, 0, kPageSize, true));
  REQUIRE_FALSE(k.rt.mremap(a, 3 * kPageSize, 4 * kPageSize, true));                  // runs past the mapping
  REQUIRE_FALSE(k.rt.mremap(VirtAddr{0x5000'0000}, kPageSize, 2 * kPageSize, true));  // nothing mapped
  const VirtAddr heap = *k.rt.brk(std::nullopt);
  REQUIRE(k.rt.brk(VirtAddr{heap.value() + kPageSize}));
  REQUIRE_FALSE(k.rt.mremap(heap, kPageSize, 2 * kPageSize, true));  // brk's heap is brk's
  REQUIRE(k.read(a.value()) == 1);
  REQUIRE(k.rt.space().find(VirtAddr{a.value() + kPageSize}));
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("mremap moves a mapping whose pages are partly swapped out, and none is lost",
          "[mm][mremap][swap]") {
  RuntimeConfig cfg = Kernel::svadu();
  cfg.user_frames = 6;
  Kernel k(cfg);
  const VirtAddr a = *k.rt.mmap(16 * kPageSize, kRW);
  REQUIRE(k.rt.mmap(kPageSize, kRW));
  for (uint64_t i = 0; i < 16; ++i) k.write(a.value() + i * kPageSize, 0xC0DE00 + i);
  REQUIRE(k.rt.stats().swap_outs > 0);
  const std::optional<VirtAddr> n = k.rt.mremap(a, 16 * kPageSize, 32 * kPageSize, true);
  REQUIRE(n);
  REQUIRE(*n != a);
  for (uint64_t i = 0; i < 16; ++i) REQUIRE(k.read(n->value() + i * kPageSize) == 0xC0DE00 + i);
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("realloc of an mmapped block resizes its mapping with mremap, copying nothing, as glibc does",
          "[mm][mremap][malloc]") {
  Kernel k(Kernel::svadu(), 4096);
  GuestHeap heap(k.rt);
  Ptmalloc<GuestHeap> a(heap);
  uint64_t p = a.malloc(200'000);
  REQUIRE(a.counters().mmaps == 1);
  REQUIRE(k.rt.mmap(kPageSize, kRW));  // right after the block's mapping: the first growth must move it
  for (uint64_t off = 0; off < 200'000; off += 4096) heap.store(p + off, off ^ 0x5a5a);
  const uint64_t loads = k.rt.stats().faults.minor;
  for (uint64_t size : {400'000, 1'000'000, 300'000, 2'000'000}) {
    p = a.realloc(p, size);
    REQUIRE(p);
    REQUIRE(a.usable_size(p) >= size);
    for (uint64_t off = 0; off < 200'000; off += 4096) REQUIRE(heap.load(p + off) == (off ^ 0x5a5a));
  }
  REQUIRE(a.counters().mremaps == 4);
  REQUIRE(a.counters().mmaps == 1);  // never a new mapping and a copy
  REQUIRE(a.counters().munmaps == 0);
  REQUIRE(k.rt.stats().faults.minor == loads);  // the moved pages stayed mapped: nothing faulted
  REQUIRE_FALSE(a.error());
  a.free(p);
  REQUIRE(a.counters().munmaps == 1);
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("mremap will not grow a piece of a split mapping, whose next pages belong to the rest of it",
          "[mm][mremap]") {
  // Found by make fuzz (runtime): grown, the piece took the object's next
  // page indices, which the rest of the mapping holds, and read its data.
  Kernel k(Kernel::svadu());
  const VirtAddr a = *k.rt.mmap(8 * kPageSize, kRW);
  k.write(a.value() + 5 * kPageSize, 0x2929);
  REQUIRE_FALSE(k.rt.mremap(a, 2 * kPageSize, 10 * kPageSize, true));
  REQUIRE(k.read(a.value() + 5 * kPageSize) == 0x2929);
  REQUIRE(k.read(a.value() + kPageSize) == 0);                   // the piece is still there, unchanged
  REQUIRE(k.rt.mremap(a, 2 * kPageSize, kPageSize, true) == a);  // shrinking one is fine
  REQUIRE(k.rt.audit().clean());
}
