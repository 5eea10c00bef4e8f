// The tcache and the three places that fill it (glibc's stashing: a fast-bin
// hit, a small-bin hit, exact fits met sorting the unsorted bin), and the
// tcache's own struct, the heap's first chunk.
#include <catch2/catch.hpp>
#include <vector>

#include "sw/malloc/ptmalloc.h"
#include "tests/sw/malloc_test_heap.h"

using namespace vmsim;
using vmsim::pm::request2size;

using vmsim::test::guarded;
using vmsim::test::Heap;

TEST_CASE("tcache: a freed chunk comes back first, and only 7 of a size are kept", "[malloc][tcache]") {
  Heap h;
  std::vector<uint64_t> p;
  for (int i = 0; i < 9; ++i) p.push_back(h.a.malloc(40));
  for (int i = 0; i < 9; ++i) h.a.free(p[i]);
  REQUIRE(h.a.tcache_count(request2size(40)) == 7);  // the other two went to the fast bin
  REQUIRE(h.a.malloc(40) == p[6]);                   // LIFO: the last one the tcache took
  REQUIRE(h.a.counters().tcache_hits == 1);
}

TEST_CASE("a fast-bin hit moves the next chunks of its size to the tcache, as glibc stashes them",
          "[malloc][tcache][fastbin]") {
  Heap h;
  std::vector<uint64_t> p;
  for (int i = 0; i < 12; ++i) p.push_back(h.a.malloc(40));
  for (int i = 0; i < 12; ++i) h.a.free(p[i]);  // 7 to the tcache, 5 to the fast bin
  for (int i = 0; i < 7; ++i) h.a.malloc(40);   // empties the tcache
  REQUIRE(h.a.tcache_count(request2size(40)) == 0);
  REQUIRE(h.a.malloc(40) == p[11]);                  // the fast bin's top...
  REQUIRE(h.a.tcache_count(request2size(40)) == 4);  // ...and the other four, stashed
  REQUIRE(h.a.counters().fastbin_hits == 1);
  REQUIRE(h.a.malloc(40) == p[7]);  // stashed last, so taken first
  REQUIRE(h.a.counters().fastbin_hits == 1);
}

TEST_CASE("exact fits found sorting the unsorted bin fill the tcache, and the request takes the last",
          "[malloc][tcache][unsorted]") {
  Heap h;
  const std::vector<uint64_t> p = guarded(h, 20, 400, 240);  // not small guards: see guarded()
  for (int i = 0; i < 20; ++i) h.a.free(p[i]);               // 7 to the tcache, 13 to the unsorted bin
  for (int i = 0; i < 7; ++i) h.a.malloc(400);
  const uint64_t exact = h.a.counters().unsorted_exact;
  h.a.malloc(400);
  // Seven exact fits went to the tcache; the eighth, with the tcache full, was
  // handed out: one malloc took eight chunks off the unsorted bin.
  REQUIRE(h.a.counters().unsorted_exact == exact + 8);
  REQUIRE(h.a.tcache_count(request2size(400)) == 7);
  for (int i = 0; i < 7; ++i) h.a.malloc(400);
  REQUIRE(h.a.counters().unsorted_exact == exact + 8);  // all seven from the tcache
}

TEST_CASE("a small-bin hit moves the bin's other chunks, oldest first, to the tcache, as glibc stashes them",
          "[malloc][smallbin]") {
  Heap h;
  const std::vector<uint64_t> p = guarded(h, 10, 200, 16);
  h.a.mallopt(MallOpt::kTcacheCount, 0);
  for (int i = 0; i < 10; ++i) h.a.free(p[i]);
  h.a.malloc(5000);  // sorts all ten into their small bin, the oldest last
  h.a.mallopt(MallOpt::kTcacheCount, 7);
  REQUIRE(h.a.malloc(200) == p[0]);
  REQUIRE(h.a.counters().smallbin_hits == 1);
  REQUIRE(h.a.tcache_count(request2size(200)) == 7);  // p[1] .. p[7]; p[8], p[9] stay in the bin
  for (int i = 7; i >= 1; --i) REQUIRE(h.a.malloc(200) == p[size_t(i)]);
  REQUIRE(h.a.malloc(200) == p[8]);
  REQUIRE(h.a.counters().smallbin_hits == 2);
}

TEST_CASE("the tcache lives in the heap's first chunk, laid out as glibc's tcache_perthread_struct",
          "[malloc][tcache]") {
  Heap h;
  REQUIRE(h.a.tcache_struct() == 0);
  const uint64_t a = h.a.malloc(40), b = h.a.malloc(40);
  const uint64_t t = h.a.tcache_struct();
  REQUIRE(t != 0);
  REQUIRE((h.mem.load(t - 8) & ~uint64_t{7}) == 656);  // 640 bytes of payload: glibc's size
  REQUIRE(t - 16 + 656 == a - 16);                     // the first malloc's block comes right after it
  h.a.free(a);
  h.a.free(b);
  const unsigned idx = unsigned((request2size(40) - 32) / 16);  // tcache bin of 48-byte chunks: 1
  REQUIRE(((h.mem.load(t + (idx / 4) * 8) >> (16 * (idx % 4))) & 0xffff) == 2);  // counts[idx]
  REQUIRE(h.mem.load(t + 128 + 8 * idx) == b);  // entries[idx]: the last freed
  h.a.free(t);                                  // never handed out: not a pointer malloc returned
  REQUIRE(h.a.error());
  REQUIRE(h.a.error()->what.find("invalid pointer") != std::string::npos);
}
