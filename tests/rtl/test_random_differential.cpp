// Random differential testing in the style of riscv-dv: random page tables
// with every kind of defect injected, random ASID switches, sfences (all four
// forms), SUM/MXR/Svadu and privilege; every translation compared with the
// reference model, and functional coverage required to be complete.
//
// The 1,000,000-per-mode runs are part of `make test`; the 10,000,000-per-mode
// runs are hidden ([.long]) and run by `make longtest`.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <iostream>

#include "support/rtl_fixture.h"
#include "testbench/check/random_page_tables.h"
#include "testbench/harness/plain_machine.h"

using namespace vmsim;

namespace {
void run_random(PagingMode mode, uint64_t seed, uint64_t n) {
  PlainMachine m({uint64_t{64} << 20, 1, xlen_of(mode)});
  HostMemory& mem = m.mem;
  RtlMmuCore& core = m.core;
  CheckedMmu& mmu = m.mmu;
  TranslationCoverage cov;
  mmu.collect_coverage(&cov);
  RandomTableConfig cfg;
  cfg.mode = mode;
  cfg.features = core.features();
  RandomPageTables tables(mem, cfg, seed);
  REQUIRE(tables.drive(mmu, n) == n);
  INFO(mmu.first_mismatch());
  REQUIRE(mmu.stats().mismatches == 0);

  const auto legal = TranslationCoverage::legal_bins(mode, cfg.features);
  const auto holes = cov.holes(mode, cfg.features);
  std::cout << fmt::format("{}: seed {}, {} translations, {} TLB hits, 0 mismatches, coverage {}/{} bins\n",
                           to_string(mode), seed, n, core.stats().tlb_hits, legal.size() - holes.size(),
                           legal.size());
  std::string listed;
  for (const auto& h : holes) listed += h + "\n";
  INFO("coverage holes:\n" << listed);
  REQUIRE(holes.empty());
  REQUIRE(core.stats().tlb_hits > n / 10);
}
}  // namespace

TEST_CASE("Sv32: 1000000 random translations agree with the reference and cover every bin",
          "[random][sv32]") {
  run_random(PagingMode::kSv32, 32, 1'000'000);
}

TEST_CASE("Sv39: 1000000 random translations agree with the reference and cover every bin",
          "[random][sv39]") {
  run_random(PagingMode::kSv39, 39, 1'000'000);
}

TEST_CASE("Sv48: 1000000 random translations agree with the reference and cover every bin",
          "[random][sv48]") {
  run_random(PagingMode::kSv48, 48, 1'000'000);
}

TEST_CASE("Sv57: 1000000 random translations agree with the reference and cover every bin",
          "[random][sv57]") {
  run_random(PagingMode::kSv57, 57, 1'000'000);
}

TEST_CASE("long: 10000000 random translations per mode", "[.long][random]") {
  for (PagingMode m : {PagingMode::kSv32, PagingMode::kSv39, PagingMode::kSv48, PagingMode::kSv57}) {
    run_random(m, 1000 + unsigned(m), 10'000'000);
  }
}
