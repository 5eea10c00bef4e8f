// Random differential testing: random page tables with injected defects,
// random ASID switches, sfences, SUM/MXR/Svadu, every translation compared
// with the reference model by the checker.
#include <catch2/catch.hpp>

#include "support/rtl_fixture.h"
#include "testbench/random_page_tables.h"

using namespace vmsim;

namespace {
void run_random(PagingMode mode, uint64_t seed, uint64_t n) {
  SparseStore store(uint64_t{64} << 20);
  HostMemory mem(store);
  PlainWalkerMemory walker_mem(store, 1);
  RtlMmuCore core(walker_mem);
  CheckedMmu mmu(core, mem, RtlMmuCore::tlb_entries());
  RandomTableConfig cfg;
  cfg.mode = mode;
  RandomPageTables tables(mem, cfg, seed);
  REQUIRE(tables.drive(mmu, n) == n);
  INFO(mmu.first_mismatch());
  REQUIRE(mmu.stats().mismatches == 0);
  // The stream must exercise both outcomes and several leaf sizes.
  REQUIRE(core.stats().tlb_hits > n / 20);
  REQUIRE(mmu.stats().walk_faults > n / 100);
  REQUIRE(mmu.stats().walks_by_leaf_level[0] > 0);
  REQUIRE(mmu.stats().walks_by_leaf_level[1] > 0);
}
}  // namespace

TEST_CASE("Sv39: 150000 random translations agree with the reference model", "[random][sv39]") {
  run_random(PagingMode::kSv39, 39, 150'000);
}

TEST_CASE("Sv48: 50000 random translations agree with the reference model", "[random][sv48]") {
  run_random(PagingMode::kSv48, 48, 50'000);
}

TEST_CASE("Sv57: 50000 random translations agree with the reference model", "[random][sv57]") {
  run_random(PagingMode::kSv57, 57, 50'000);
}
