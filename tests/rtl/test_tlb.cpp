// TLB behaviour: hits after a walk, misses, replacement, superpage reach and
// the four sfence.vma forms.
#include <catch2/catch.hpp>

#include "support/rtl_fixture.h"

using namespace vmsim;
using namespace vmsim::test;

TEST_CASE("second access to a page hits the TLB, first one walks", "[tlb]") {
  RtlFixture f;
  const Ppn p = f.map(0x10000, kUserRW);
  const Translation first = f.load(0x10008);
  REQUIRE_FALSE(first.fault);
  REQUIRE_FALSE(first.tlb_hit);
  REQUIRE(first.pa == PhysAddr{base_of(p).value() + 8});
  const Translation second = f.load(0x10ff8);
  REQUIRE(second.tlb_hit);
  REQUIRE(second.pa == PhysAddr{base_of(p).value() + 0xff8});
  REQUIRE(f.core.stats().walks == 1);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("a superpage entry hits from every address it covers", "[tlb]") {
  RtlFixture f;
  const Ppn p = f.map(0x40000000, kUserRW, 1);  // 2 MiB
  REQUIRE_FALSE(f.load(0x40000000).tlb_hit);
  for (uint64_t off : {uint64_t{0x1000}, uint64_t{0x100008}, uint64_t{0x1ffff8}}) {
    const Translation t = f.load(0x40000000 + off);
    REQUIRE(t.tlb_hit);
    REQUIRE(t.pa == PhysAddr{base_of(p).value() + off});
  }
  REQUIRE_FALSE(f.load(0x40200000).tlb_hit);  // next 2 MiB: unmapped, faults
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("filling the TLB past capacity evicts the pseudo-LRU entry", "[tlb]") {
  RtlFixture f;
  const unsigned n = f.core.info().tlb_entries;
  for (unsigned i = 0; i <= n; ++i) f.map(0x100000 + i * kPageSize, kUserRW);
  for (unsigned i = 0; i < n; ++i) REQUIRE_FALSE(f.load(0x100000 + i * kPageSize).tlb_hit);
  // Re-touch every page but page 0, most recent last: page 0 becomes the
  // tree-PLRU victim.
  for (unsigned i = 1; i < n; ++i) REQUIRE(f.load(0x100000 + i * kPageSize).tlb_hit);
  REQUIRE_FALSE(f.load(0x100000 + n * kPageSize).tlb_hit);  // refill evicts page 0
  REQUIRE_FALSE(f.load(0x100000).tlb_hit);                  // page 0 walks again
  REQUIRE(f.load(0x100000 + n * kPageSize).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("sfence with no operands flushes every entry, global ones included", "[tlb][sfence]") {
  RtlFixture f;
  f.map(0x1000, kUserRW);
  f.map(0x2000, kKernRW | pte::kG);
  f.load(0x1000);
  f.load(0x2000, Priv::kSupervisor);
  f.mmu.sfence(std::nullopt, std::nullopt);
  REQUIRE_FALSE(f.load(0x1000).tlb_hit);
  REQUIRE_FALSE(f.load(0x2000, Priv::kSupervisor).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("ASID flush drops that ASID's entries and keeps global ones", "[tlb][sfence]") {
  RtlFixture f;
  f.map(0x1000, kUserRW);
  f.map(0x2000, kKernRW | pte::kG);
  f.load(0x1000);
  f.load(0x2000, Priv::kSupervisor);
  f.mmu.sfence(std::nullopt, Asid{1});
  REQUIRE_FALSE(f.load(0x1000).tlb_hit);
  REQUIRE(f.load(0x2000, Priv::kSupervisor).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("entries are tagged with the ASID - another ASID misses", "[tlb][asid]") {
  RtlFixture f;
  f.map(0x1000, kUserRW);
  f.map(0x2000, kKernRW | pte::kG);
  f.load(0x1000);
  f.load(0x2000, Priv::kSupervisor);
  f.use(Asid{2});  // same table, new ASID: non-global entries do not match
  REQUIRE_FALSE(f.load(0x1000).tlb_hit);
  REQUIRE(f.load(0x2000, Priv::kSupervisor).tlb_hit);
  f.mmu.sfence(std::nullopt, Asid{1});  // flushing ASID 1 leaves ASID 2's refill
  REQUIRE(f.load(0x1000).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("address flush drops only the entry for that address", "[tlb][sfence]") {
  RtlFixture f;
  f.map(0x1000, kUserRW);
  f.map(0x5000, kUserRW);
  f.load(0x1000);
  f.load(0x5000);
  f.mmu.sfence(VirtAddr{0x1234}, std::nullopt);
  REQUIRE_FALSE(f.load(0x1000).tlb_hit);
  REQUIRE(f.load(0x5000).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("address+ASID flush spares global entries and other ASIDs", "[tlb][sfence]") {
  RtlFixture f;
  f.map(0x1000, kUserRW);
  f.map(0x2000, kKernRW | pte::kG);
  f.load(0x1000);
  f.load(0x2000, Priv::kSupervisor);
  f.mmu.sfence(VirtAddr{0x2000}, Asid{1});
  REQUIRE(f.load(0x2000, Priv::kSupervisor).tlb_hit);  // global: spared
  f.mmu.sfence(VirtAddr{0x1000}, Asid{7});
  REQUIRE(f.load(0x1000).tlb_hit);  // other ASID: spared
  f.mmu.sfence(VirtAddr{0x1000}, Asid{1});
  REQUIRE_FALSE(f.load(0x1000).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("a superpage entry is flushed by any address inside it", "[tlb][sfence]") {
  RtlFixture f;
  f.map(0x40000000, kUserRW, 1);
  f.load(0x40000000);
  f.mmu.sfence(VirtAddr{0x401ff000}, std::nullopt);
  REQUIRE_FALSE(f.load(0x40000000).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("a hit whose rights do not allow the access re-walks and overwrites the entry", "[tlb]") {
  RtlFixture f;
  f.map(0x3000, pte::kR | pte::kU | pte::kA);  // read-only
  REQUIRE_FALSE(f.load(0x3000).tlb_hit);
  const Translation st = f.store_(0x3000);
  REQUIRE(st.fault);
  REQUIRE(st.cause == Cause::kStorePageFault);
  // The OS upgrades the page and fences; the store then succeeds by walking.
  f.set_leaf(0x3000, f.leaf(0x3000) | pte::kW | pte::kD);
  f.mmu.sfence(VirtAddr{0x3000}, Asid{1});
  REQUIRE_FALSE(f.store_(0x3000).fault);
  REQUIRE(f.store_(0x3000).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}
