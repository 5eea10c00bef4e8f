// Our departure for runs of one small size split from free chunks
// (sw/malloc/split_runs.h): when a split takes a run, what it hands out, and
// the remainder's bound.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "tests/sw/malloc_test_heap.h"

using namespace vmsim;
using vmsim::pm::SplitRuns;
using vmsim::test::Heap;

namespace {

// A free chunk of `bytes` (a guard keeps it from merging into top), then
// `n` requests of `each` bytes; their addresses.
std::vector<uint64_t> split_from_free(Heap& h, uint64_t bytes, int n, uint64_t each, uint64_t& freed) {
  freed = vmsim::test::guarded(h, 1, bytes, 16)[0];
  h.a.free(freed);
  std::vector<uint64_t> got;
  for (int i = 0; i < n; ++i) got.push_back(h.a.malloc(each));
  return got;
}

}  // namespace

TEST_CASE(
    "split runs: the seventh split in a row of one size takes a run, and another size starts counting again",
    "[malloc][runs]") {
  SplitRuns r;
  for (unsigned i = 1; i < SplitRuns::kRun; ++i) REQUIRE_FALSE(r.on_split(112));
  REQUIRE(r.on_split(112));
  REQUIRE(r.on_split(112));  // the run goes on
  REQUIRE_FALSE(r.on_split(208));
  for (unsigned i = 2; i < SplitRuns::kRun; ++i) REQUIRE_FALSE(r.on_split(208));
  REQUIRE(r.on_split(208));
}

TEST_CASE(
    "split runs: a run from the last remainder hands out the freed chunk's pieces once each, most from the "
    "tcache",
    "[malloc][runs]") {
  Heap h;
  uint64_t freed = 0;
  const std::vector<uint64_t> got = split_from_free(h, 8000, 40, 100, freed);
  // The same 40 chunks glibc's splits hand out, in another order: the first
  // 112 * 40 bytes of the freed chunk, each once.
  std::vector<uint64_t> sorted = got;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) REQUIRE(sorted[i] == freed + 112 * i);
  // One bin-map split, six plain splits, then a split every eight requests:
  // its own chunk and a full tcache stack (seven).
  const auto& c = h.a.counters();
  REQUIRE(c.binmap_hits == 1);
  REQUIRE(c.last_remainder_splits == 6 + 5);
  REQUIRE(c.split_stashed == 5 * 7);
  REQUIRE(h.a.tcache_count(112) == 7);  // the last run's, all still there
  for (uint64_t p : got) h.a.free(p);
  REQUIRE(h.a.error() == std::nullopt);
}

TEST_CASE("split runs: two sizes split in turn never take a run", "[malloc][runs]") {
  Heap h;
  h.a.free(vmsim::test::guarded(h, 1, 20000, 16)[0]);
  for (int i = 0; i < 30; ++i) {
    h.a.malloc(100);
    h.a.malloc(200);
  }
  REQUIRE(h.a.counters().split_stashed == 0);
  REQUIRE(h.a.counters().last_remainder_splits == 59);
}

TEST_CASE("split runs: a run leaves the last remainder larger than the smallest chunk", "[malloc][runs]") {
  Heap h;
  uint64_t freed = 0;
  // A 1264-byte chunk: after the bin-map split and six splits of 112, 480
  // bytes are left. The seventh split takes its 112 and two more; a third
  // would leave 32 bytes, and glibc's bound for the last remainder is more
  // than kMinSize (32), so 144 stay.
  const std::vector<uint64_t> got = split_from_free(h, 1256, 8, 100, freed);
  REQUIRE(got.back() == freed + 7 * 112);
  REQUIRE(h.a.counters().split_stashed == 2);
  REQUIRE(h.a.malloc(100) == freed + 9 * 112);  // from the stack, highest first
  REQUIRE(h.a.malloc(100) == freed + 8 * 112);
  REQUIRE(h.a.malloc(128) == freed + 10 * 112);  // the 144-byte remainder, exactly
  REQUIRE(h.a.error() == std::nullopt);
}
