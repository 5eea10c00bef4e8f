// Transparent huge pages over the RTL MMU: khugepaged's promotion of full,
// aligned ranges to one superpage leaf, what it does to TLB misses, and the
// splits (munmap, mprotect, reclaim, fork) that must keep every byte and the
// copy-on-write rules.
#include <catch2/catch.hpp>
#include <numeric>

#include "support/kernel_fixture.h"
#include "sw/kernel/guest_runtime.h"

using namespace vmsim;

using test::kBase;
using test::Kernel;
using test::kRW;
using test::require_clean_audit;

namespace {

constexpr uint64_t kHuge = 2 << 20;
constexpr uint64_t kPages = 2 * kHuge / kPageSize;  // two huge pages' worth

RuntimeConfig thp_config(bool on) {
  RuntimeConfig cfg;
  cfg.thp = on;
  cfg.khugepaged_period = 0;  // the tests scan when they choose
  return cfg;
}

uint64_t word_va(uint64_t page) {
  return kBase + page * kPageSize + 8 * (page % 511);
}
uint64_t value_of(uint64_t page) {
  return 0xabc0'0000 + page;
}

// Each page is read before it is written: it is mapped clean, and (Svadu)
// only its PTE's D bit says the store happened.
void fill(Kernel& k, uint64_t pages) {
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, pages * kPageSize, kRW}));
  for (uint64_t i = 0; i < pages; ++i) {
    REQUIRE(k.read(word_va(i)) == 0);
    k.write(word_va(i), value_of(i));
  }
}

void check_all(Kernel& k, uint64_t pages) {
  for (uint64_t i = 0; i < pages; ++i) {
    INFO("page " << i);
    REQUIRE(k.read(word_va(i)) == value_of(i));
  }
}

uint64_t walks(Kernel& k) {
  const auto& w = k.mmu.stats().walks_by_leaf_level;
  return std::accumulate(w.begin(), w.end(), uint64_t{0});
}

unsigned leaf_level(Kernel& k, uint64_t va) {
  const auto leaf = k.rt.space().table().find_leaf(VirtAddr{va});
  REQUIRE(leaf);
  return leaf->level;
}

}  // namespace

TEST_CASE(
    "thp: khugepaged maps full aligned ranges with one leaf, and sequential passes then walk once per 2 MiB",
    "[mm][thp]") {
  uint64_t walks_in_passes[2] = {};
  for (const bool on : {false, true}) {
    Kernel k(thp_config(on), 2048);
    fill(k, kPages);
    const uint64_t frames = k.rt.user_frames_in_use();
    CHECK(k.rt.khugepaged_scan() == (on ? 2u : 0u));
    CHECK(leaf_level(k, kBase) == (on ? 1u : 0u));
    CHECK(k.rt.user_frames_in_use() == frames);  // the old frames went back
    const uint64_t before = walks(k);
    for (int pass = 0; pass < 3; ++pass) check_all(k, kPages);
    walks_in_passes[on] = walks(k) - before;
    CHECK(k.rt.stats().thp_promotions == (on ? 2u : 0u));
    require_clean_audit(k);
  }
  INFO("walks in 3 sequential passes over 4 MiB: without THP " << walks_in_passes[0] << ", with "
                                                               << walks_in_passes[1]);
  CHECK(walks_in_passes[0] >= 3 * kPages - 16);  // a miss per 4 KiB page (16 TLB entries)
  CHECK(walks_in_passes[1] <= 3 * 2 + 8);        // a miss per 2 MiB page, and a few fences' worth
}

TEST_CASE("thp: a range with a page not yet touched, or shared since a fork, is not promoted", "[mm][thp]") {
  Kernel k(thp_config(true), 2048);
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, kPages * kPageSize, kRW}));
  for (uint64_t i = 1; i < kPages; ++i) k.write(word_va(i), value_of(i));  // page 0 untouched
  CHECK(k.rt.khugepaged_scan() == 1);                                      // only the second 2 MiB
  CHECK(leaf_level(k, kBase + kPageSize) == 0);
  CHECK(leaf_level(k, kBase + kHuge) == 1);
  k.write(word_va(0), value_of(0));
  Process* child = k.rt.fork(k.rt.current());  // splits the huge page (the parent's PTEs go)
  REQUIRE(child);
  CHECK(k.rt.stats().thp_splits == 1);
  CHECK(k.rt.khugepaged_scan() == 0);  // every page is shared with the child now
  check_all(k, kPages);
  require_clean_audit(k);
}

TEST_CASE("thp: munmap or mprotect of part of a huge page splits it, and the rest keeps its data and rights",
          "[mm][thp]") {
  Kernel k(thp_config(true), 2048);
  fill(k, kPages);
  REQUIRE(k.rt.khugepaged_scan() == 2);
  REQUIRE(k.rt.munmap(VirtAddr{kBase + 100 * kPageSize}, kPageSize));
  CHECK(k.rt.stats().thp_splits == 1);
  CHECK(leaf_level(k, kBase) == 0);
  CHECK(leaf_level(k, kBase + kHuge) == 1);  // the other huge page is untouched
  CHECK_FALSE(k.rt.space().table().find_leaf(VirtAddr{kBase + 100 * kPageSize}));
  REQUIRE(k.rt.mprotect(VirtAddr{kBase + kHuge}, kPageSize, Perms{true, false, false, true}));
  CHECK(k.rt.stats().thp_splits == 2);
  CHECK_FALSE(k.rt.space().table().find_leaf(VirtAddr{kBase + kHuge})->entry & pte::kW);
  CHECK(k.rt.space().table().find_leaf(VirtAddr{kBase + kHuge + kPageSize})->entry & pte::kW);
  for (uint64_t i = 0; i < kPages; ++i) {
    if (i != 100) REQUIRE(k.read(word_va(i)) == value_of(i));
  }
  require_clean_audit(k);
}

TEST_CASE("thp: one A bit for the huge page is handed on to each of its pages", "[mm][thp]") {
  Kernel k(thp_config(true), 2048);
  fill(k, kPages / 2);
  REQUIRE(k.rt.khugepaged_scan() == 1);
  k.read(word_va(7));                                                 // the huge leaf's A
  CHECK(k.rt.test_and_clear_young(VirtAddr{kBase}));                  // reads and clears it
  CHECK(k.rt.test_and_clear_young(VirtAddr{kBase + 9 * kPageSize}));  // referenced too: handed on
  CHECK_FALSE(k.rt.test_and_clear_young(VirtAddr{kBase + 9 * kPageSize}));
  CHECK_FALSE(k.rt.test_and_clear_young(VirtAddr{kBase}));
  CHECK(leaf_level(k, kBase) == 1);  // aging does not split
}

TEST_CASE("thp: reclaim splits huge pages under memory pressure and loses nothing", "[mm][thp]") {
  // Without stores after the promotion, only the pages' own D bits, moved
  // into the pages when the huge leaf replaced their PTEs, say they are dirty.
  for (const int run : {0, 1, 2, 3}) {
    const bool svadu = run & 1, store_after = run & 2;
    RuntimeConfig cfg = thp_config(true);
    cfg.control.svadu = svadu;
    // Exact LRU, so the huge pages, untouched since the promotion, are the
    // victims: this tests the split, not a policy's choice (the default's
    // LRU-2 ranking would rightly keep them, used twice, and evict the
    // region written once below instead).
    cfg.policy = "lru";
    Kernel k(cfg, 2048, 4096);
    fill(k, kPages);
    REQUIRE(k.rt.khugepaged_scan() == 2);
    for (uint64_t i = 0; i < kPages; i += 3) {  // stores through the huge leaves
      if (store_after) k.write(word_va(i) + 8, i);
    }
    const VirtAddr other{kBase + 16 * kHuge};
    REQUIRE(k.rt.add_lazy_region({"more", other, 1500 * kPageSize, kRW}));
    for (uint64_t i = 0; i < 1500; ++i) k.write(other.value() + i * kPageSize, i + 1);
    INFO("svadu " << svadu << ", stores after the promotion " << store_after);
    CHECK(k.rt.stats().swap_outs > 0);
    CHECK(k.rt.stats().thp_splits >= 1);
    check_all(k, kPages);
    for (uint64_t i = 0; i < kPages; i += 3) REQUIRE(k.read(word_va(i) + 8) == (store_after ? i : 0));
    for (uint64_t i = 0; i < 1500; ++i) REQUIRE(k.read(other.value() + i * kPageSize) == i + 1);
    require_clean_audit(k);
  }
}
