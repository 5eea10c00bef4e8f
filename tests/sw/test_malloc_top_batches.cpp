// Our departure for small and large blocks allocated in lockstep
// (sw/malloc/top_batches.h): when it triggers, what it buys, and that it
// leaves every other pattern alone.
#include <catch2/catch.hpp>
#include <vector>

#include "tests/sw/malloc_test_heap.h"

using namespace vmsim;
using vmsim::pm::TopBatches;
using vmsim::test::Heap;

namespace {

// Allocates `pairs` small/large pairs in lockstep; returns the large blocks
// (and adds the small ones to `smalls` when given).
std::vector<uint64_t> lockstep(Heap& h, int pairs, uint64_t small, uint64_t large,
                               std::vector<uint64_t>* smalls = nullptr) {
  std::vector<uint64_t> big;
  for (int i = 0; i < pairs; ++i) {
    const uint64_t s = h.a.malloc(small);
    if (smalls) smalls->push_back(s);
    big.push_back(h.a.malloc(large));
  }
  return big;
}

}  // namespace

TEST_CASE(
    "top batches: a small size carved in lockstep with a much larger one gets spares once the streak is long",
    "[malloc][batches]") {
  TopBatches b;
  unsigned batches = 0;
  for (unsigned i = 0; i < TopBatches::kStreak; ++i) {
    b.on_carve(464, 128);
    REQUIRE(b.on_carve(80, 128) == 0);  // still counting
  }
  b.on_carve(464, 128);
  REQUIRE(b.on_carve(80, 128) == TopBatches::kSpares);
  b.gave(80, TopBatches::kSpares);
  // The spares serve the next seven requests, so top sees the size again only
  // after eight more large carves: that still counts as lockstep.
  for (int i = 0; i < 8; ++i) b.on_carve(464, 128);
  REQUIRE(b.on_carve(80, 128) == TopBatches::kSpares);
  b.gave(80, TopBatches::kSpares);
  // Twenty large carves in a row: the pattern has ended, the streak restarts.
  for (int i = 0; i < 20; ++i) b.on_carve(464, 128);
  REQUIRE(b.on_carve(80, 128) == 0);
  for (int i = 0; i < 40; ++i) batches += b.on_carve(i % 2 ? 80 : 464, 128) ? 1 : 0;
  REQUIRE(batches > 0);
}

TEST_CASE("top batches: the end of a phase (restart) starts every streak again", "[malloc][batches]") {
  TopBatches b;
  unsigned got = 0;
  for (unsigned i = 0; i <= TopBatches::kStreak; ++i) {
    b.on_carve(464, 128);
    got = b.on_carve(80, 128);
  }
  REQUIRE(got == TopBatches::kSpares);
  b.gave(80, got);
  b.restart();  // a large request consolidated the fast bins, or a free made 64 KiB
  for (unsigned i = 0; i < TopBatches::kStreak; ++i) {
    b.on_carve(464, 128);
    REQUIRE(b.on_carve(80, 128) == 0);  // the lockstep must show itself again
  }
  b.on_carve(464, 128);
  REQUIRE(b.on_carve(80, 128) == TopBatches::kSpares);
}

TEST_CASE(
    "top batches: sizes within a factor of two, a small size now and then, or sizes above max_fast get none",
    "[malloc][batches]") {
  TopBatches b;
  for (int i = 0; i < 500; ++i)
    REQUIRE(b.on_carve(96 + 16 * uint64_t(i % 5), 128) == 0);  // cyclic, close sizes
  for (int i = 0; i < 500; ++i) {
    REQUIRE(b.on_carve(i % 7 ? 2048 + 16 * uint64_t(i % 13) : 64, 128) == 0);  // a small one every 7th carve
  }
  for (int i = 0; i < 500; ++i) REQUIRE(b.on_carve(i % 2 ? 144 : 1024, 128) == 0);  // 144 is no fast size
  for (int i = 0; i < 500; ++i) REQUIRE(b.on_carve(i % 2 ? 80 : 464, 16) == 0);  // fast bins off (max_fast 0)
}

TEST_CASE("top batches: after small and large blocks in lockstep, the large ones' holes take larger blocks",
          "[malloc][batches]") {
  Heap h;
  const std::vector<uint64_t> big = lockstep(h, 400, 40, 360);
  REQUIRE(h.a.counters().top_batches > 0);
  uint64_t end = 0;
  for (uint64_t p : big) end = std::max(end, p);
  const uint64_t heap_before = h.a.heap_bytes();
  for (uint64_t p : big) h.a.free(p);
  // Blocks a little larger than the freed ones: they fit only where runs of
  // freed neighbours merged. Without the runs (glibc's layout) every one of
  // them comes from top.
  int inside = 0;
  for (int i = 0; i < 400; ++i) inside += h.a.malloc(420) < end ? 1 : 0;
  REQUIRE(inside >= 250);  // 294 measured; glibc's layout: 0
  REQUIRE(h.a.heap_bytes() < heap_before + heap_before / 4);
  REQUIRE(!h.a.error());
}

TEST_CASE("top batches: no spare is lost: once all is freed, only the tcache's usual chunks stay in use",
          "[malloc][batches]") {
  Heap h;
  std::vector<uint64_t> all;
  for (uint64_t p : lockstep(h, 100, 40, 360, &all)) all.push_back(p);
  REQUIRE(h.a.counters().top_batches > 0);
  for (uint64_t p : all) h.a.free(p);
  h.a.trim(0);
  // In use now: the tcache's struct and what the tcache holds (at most 7
  // chunks a size, never merged, as glibc's). Spares nobody took are either
  // among those or were merged back by the consolidation in trim.
  const uint64_t held =
      h.a.tcache_count(pm::request2size(40)) * 48 + h.a.tcache_count(pm::request2size(360)) * 368;
  REQUIRE(h.a.mallinfo2().uordblks == pm::request2size(pm::kTcacheStructBytes) + held);
  REQUIRE(!h.a.error());
}

TEST_CASE(
    "top batches: calloc of a chunk carved with spares still skips zeroing fresh memory, and spares are "
    "zeroed",
    "[malloc][batches][calloc]") {
  Heap h;
  for (int i = 0; i < 20; ++i) {
    h.a.malloc(360);
    const uint64_t before = h.a.counters().top_batches, skipped = h.a.counters().calloc_skipped_zeroing;
    const uint64_t m = h.a.calloc(1, 40);
    for (uint64_t off = 0; off < 40; off += 8) REQUIRE(h.mem.load(m + off) == 0);
    if (h.a.counters().top_batches > before) {
      REQUIRE(h.a.counters().calloc_skipped_zeroing == skipped + 1);  // its own chunk is fresh
      // This calloc's chunk came from top with spares; the spares hold fast-bin
      // links, and the next callocs take them: still zero to the caller.
      for (int k = 0; k < 7; ++k) {
        const uint64_t s = h.a.calloc(1, 40);
        for (uint64_t off = 0; off < 40; off += 8) REQUIRE(h.mem.load(s + off) == 0);
      }
    }
  }
  REQUIRE(h.a.counters().top_batches > 0);
  REQUIRE(h.a.counters().calloc_skipped_zeroing > 0);
}
