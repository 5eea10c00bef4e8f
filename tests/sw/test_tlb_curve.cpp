// Miss curves without simulation (testbench/analysis/tlb_curve.h): the
// textbook numbers, agreement with the reference's exact LRU TLB model (the
// one the RTL is checked against), and OPT as a lower bound.
#include <catch2/catch.hpp>
#include <random>

#include "testbench/analysis/tlb_curve.h"
#include "testbench/check/tlb_model.h"
#include "testbench/harness/walk_latency.h"

using namespace vmsim;

namespace {

// Misses of vmsim's fully associative LRU TLB model of `entries` on `pages`.
uint64_t model_lru_misses(const std::vector<uint64_t>& pages, unsigned entries) {
  auto tlb = make_vmsim_tlb(TlbHierarchy{TlbGeometry{1, entries, TlbPolicy::kLru, 0}, {}, {}, 2});
  const TranslationControl ctl;
  uint64_t misses = 0;
  for (uint64_t vpn : pages) {
    const VirtAddr va{vpn << kPageShift};
    if (tlb->lookup(vpn, 0, PagingMode::kSv39, va, Access::kLoad, Priv::kUser, ctl).hit) continue;
    ++misses;
    tlb->refill(CachedTranslation{PagingMode::kSv39, vpn, 0, false, 0, false, vpn,
                                  pte::kR | pte::kW | pte::kU | pte::kD});
  }
  return misses;
}

}  // namespace

TEST_CASE("tlb curve: Silberschatz's reference string with 3 entries: OPT 9 misses, LRU 12",
          "[sw][tlb_curve]") {
  // Operating System Concepts, the page-replacement chapter's reference string.
  const std::vector<uint64_t> s = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
  CHECK(opt_misses(s, 3) == 9);
  CHECK(lru_misses(s, {3}) == std::vector<uint64_t>{12});
  CHECK(lru_misses(s, {1, 8}) == std::vector<uint64_t>{20, 6});  // every reference; cold misses only
}

TEST_CASE("tlb curve: one pass gives what separate fully associative LRU runs give, at every size",
          "[sw][tlb_curve]") {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> pages;
  uint64_t hot = 0;
  for (int i = 0; i < 20000; ++i) {  // phases of locality, with strays
    if (i % 2000 == 0) hot = rng() % 4096;
    pages.push_back(rng() % 10 ? hot + rng() % 48 : rng() % 100000);
  }
  const std::vector<unsigned> sizes = {1, 2, 4, 8, 16, 32, 64};
  const std::vector<uint64_t> curve = lru_misses(pages, sizes);
  for (size_t i = 0; i < sizes.size(); ++i) {
    INFO(sizes[i] << " entries");
    CHECK(curve[i] == model_lru_misses(pages, sizes[i]));
    CHECK(opt_misses(pages, sizes[i]) <= curve[i]);
    if (i) CHECK(curve[i] <= curve[i - 1]);  // LRU has no Belady anomaly
  }
}

TEST_CASE("walk latency: percentiles, maximum and histogram read the device's buckets",
          "[sw][walk_latency]") {
  RtlMmuStats s;
  s.walks = 10;
  s.walk_latency[68] = 6;
  s.walk_latency[90] = 3;
  s.walk_latency[912] = 1;
  CHECK(walk_latency_percentile(s, 0.5) == 68);
  CHECK(walk_latency_percentile(s, 0.6) == 68);
  CHECK(walk_latency_percentile(s, 0.61) == 90);
  CHECK(walk_latency_percentile(s, 0.9) == 90);
  CHECK(walk_latency_percentile(s, 0.99) == 912);
  CHECK(walk_latency_max(s) == 912);
  CHECK(walk_latency_histogram(s) == nlohmann::json{{"68", 6}, {"90", 3}, {"912", 1}});
  CHECK(walk_latency_summary(s) ==
        "p50 68, p90 90, p99 912, max 912 cycles; most often 68 (6), 90 (3), 912 (1)");
  s.walk_latency.back() = 2;  // walks of the last bucket's latency or more
  CHECK_THAT(walk_latency_summary(s), Catch::Contains("max 1023+ cycles"));
  CHECK(walk_latency_percentile(RtlMmuStats{}, 0.5) == 0);
}
