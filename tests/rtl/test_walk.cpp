// Page walks: leaves at every level in every mode, superpage and napot
// address formation, and each reason a walk ends in a fault.
#include <catch2/catch.hpp>

#include "support/rtl_fixture.h"

using namespace vmsim;
using namespace vmsim::test;

namespace {
void expect_pa(RtlFixture& f, uint64_t va, uint64_t pa) {
  const Translation t = f.load(va);
  INFO("va 0x" << std::hex << va);
  REQUIRE_FALSE(t.fault);
  REQUIRE(t.pa == PhysAddr{pa});
}
void expect_fault(const Translation& t, Cause c) {
  REQUIRE(t.fault);
  REQUIRE(to_string(t.cause) == to_string(c));
}
}  // namespace

TEST_CASE("Sv39 walks end at level 0, 1 and 2 (4 KiB, 2 MiB, 1 GiB)", "[walk]") {
  RtlFixture f(PagingMode::kSv39, uint64_t{1} << 31);  // 2 GiB so a gigapage fits
  const Ppn p0 = f.map(0x7000, kUserRW, 0);
  const Ppn p1 = f.map(0x200000 * 3, kUserRW, 1);
  const Ppn p2 = f.map(uint64_t{1} << 30, kUserRW, 2);
  expect_pa(f, 0x7abc & ~7ull, base_of(p0).value() + 0xab8);
  expect_pa(f, 0x600000 + 0x12345 * 8, base_of(p1).value() + 0x12345 * 8);
  expect_pa(f, (uint64_t{1} << 30) + 0x3456780, base_of(p2).value() + 0x3456780);
  REQUIRE(f.mmu.stats().walks_by_leaf_level[0] == 1);
  REQUIRE(f.mmu.stats().walks_by_leaf_level[1] == 1);
  REQUIRE(f.mmu.stats().walks_by_leaf_level[2] == 1);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("Sv48 and Sv57 walk four and five levels - top-level superpages too", "[walk]") {
  for (PagingMode m : {PagingMode::kSv48, PagingMode::kSv57}) {
    RtlFixture f(m);
    const uint64_t high = uint64_t{1} << (va_bits_of(m) - 2);  // needs the top level
    const Ppn p = f.map(high + 0x5000, kUserRW);
    expect_pa(f, high + 0x5010, base_of(p).value() + 0x10);
    // A leaf at the top level whose PPN is 0 is aligned: the walk ends there.
    const unsigned top = levels_of(m) - 1;
    const uint64_t va = uint64_t{3} << (kPageShift + 9 * top);
    REQUIRE(f.table.map(VirtAddr{va}, Ppn{0}, kUserRW, top));
    expect_pa(f, va + 0x1238, 0x1238);
    REQUIRE(f.mmu.stats().walks_by_leaf_level[top] == 1);
    REQUIRE(f.mmu.stats().mismatches == 0);
  }
}

TEST_CASE("Svnapot 64 KiB page takes the low four VPN bits from the address", "[walk][napot]") {
  RtlFixture f;
  const Ppn base = *f.frames.alloc_block(4);
  // Software writes the same napot PTE into all 16 slots, as the spec requires.
  for (uint64_t i = 0; i < 16; ++i) {
    const uint64_t va = 0x800000 + i * kPageSize;
    REQUIRE(f.table.map(VirtAddr{va}, Ppn{base.value() | 0x8}, kUserRW));
    f.set_leaf(va, f.leaf(va) | pte::kN);
  }
  expect_pa(f, 0x800000 + 0x10, base_of(base).value() + 0x10);
  const Translation t = f.load(0x800000 + 5 * kPageSize + 8);  // same 64 KiB entry
  REQUIRE(t.tlb_hit);
  REQUIRE(t.pa == PhysAddr{base_of(base).value() + 5 * kPageSize + 8});
  // N on a PPN whose low bits are not 1000 is reserved.
  f.map(0x900000, kUserRW);
  f.set_leaf(0x900000, f.leaf(0x900000) | pte::kN);
  expect_fault(f.load(0x900000), Cause::kLoadPageFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("U page from S-mode faults unless SUM - never for fetch", "[walk][perm]") {
  RtlFixture f;
  f.map(0x1000, kUserRW | pte::kX);
  expect_fault(f.load(0x1000, Priv::kSupervisor), Cause::kLoadPageFault);
  expect_fault(f.store_(0x1000, Priv::kSupervisor), Cause::kStorePageFault);
  f.use(Asid{1}, TranslationControl{true, false, false});
  REQUIRE_FALSE(f.load(0x1000, Priv::kSupervisor).fault);
  REQUIRE_FALSE(f.store_(0x1000, Priv::kSupervisor).fault);
  expect_fault(f.fetch(0x1000, Priv::kSupervisor), Cause::kFetchPageFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("S page from U-mode faults for every access type", "[walk][perm]") {
  RtlFixture f;
  f.map(0x1000, kKernRW | pte::kX);
  expect_fault(f.load(0x1000), Cause::kLoadPageFault);
  expect_fault(f.store_(0x1000), Cause::kStorePageFault);
  expect_fault(f.fetch(0x1000), Cause::kFetchPageFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("R, W and X are each required - MXR makes executable pages readable", "[walk][perm]") {
  RtlFixture f;
  f.map(0x1000, pte::kR | pte::kU | pte::kA | pte::kD);  // read-only
  f.map(0x2000, pte::kX | pte::kU | pte::kA);            // execute-only
  expect_fault(f.store_(0x1000), Cause::kStorePageFault);
  expect_fault(f.fetch(0x1000), Cause::kFetchPageFault);
  REQUIRE_FALSE(f.load(0x1000).fault);
  expect_fault(f.load(0x2000), Cause::kLoadPageFault);
  REQUIRE_FALSE(f.fetch(0x2000).fault);
  f.use(Asid{1}, TranslationControl{false, true, false});
  REQUIRE_FALSE(f.load(0x2000).fault);
  expect_fault(f.store_(0x2000), Cause::kStorePageFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("invalid PTE, W without R, reserved bits and PBMT=3 fault", "[walk][pte]") {
  RtlFixture f;
  f.map(0x1000, kUserRW);
  f.set_leaf(0x1000, f.leaf(0x1000) & ~pte::kV);
  expect_fault(f.load(0x1000), Cause::kLoadPageFault);
  f.map(0x2000, kUserRW);
  f.set_leaf(0x2000, f.leaf(0x2000) & ~pte::kR);
  expect_fault(f.load(0x2000), Cause::kLoadPageFault);
  f.map(0x3000, kUserRW);
  f.set_leaf(0x3000, f.leaf(0x3000) | (uint64_t{1} << 57));
  expect_fault(f.load(0x3000), Cause::kLoadPageFault);
  f.map(0x4000, kUserRW);
  f.set_leaf(0x4000, f.leaf(0x4000) | pte::kPbmtMask);
  expect_fault(f.load(0x4000), Cause::kLoadPageFault);
  f.map(0x5000, kUserRW);
  f.set_leaf(0x5000, f.leaf(0x5000) | (uint64_t{1} << 61));  // PBMT=NC is legal
  REQUIRE_FALSE(f.load(0x5000).fault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("non-leaf PTE with A, D or U set faults (CVA6 #3420)", "[walk][pte][regression]") {
  for (uint64_t bit : {pte::kA, pte::kD, pte::kU}) {
    RtlFixture f;
    f.map(0x1000, kUserRW);
    const PhysAddr root_slot = base_of(f.table.root());  // VA 0x1000 uses index 0 at every level
    f.mem.write_u64(root_slot, f.mem.read_u64(root_slot) | bit);
    expect_fault(f.load(0x1000), Cause::kLoadPageFault);
    REQUIRE(f.mmu.stats().mismatches == 0);
  }
}

TEST_CASE("misaligned superpage faults", "[walk][pte]") {
  RtlFixture f;
  f.map(0x200000, kUserRW, 1);
  f.set_leaf(0x200000, f.leaf(0x200000) | (uint64_t{1} << pte::kPpnShift));  // PPN[0] = 1
  expect_fault(f.load(0x200000), Cause::kLoadPageFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("pointer PTE at the last level faults", "[walk][pte]") {
  RtlFixture f;
  f.map(0x1000, kUserRW);
  f.set_leaf(0x1000, pte::make(Ppn{100}, pte::kV));
  expect_fault(f.load(0x1000), Cause::kLoadPageFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("non-canonical address faults without reading memory", "[walk]") {
  RtlFixture f;
  const uint64_t reads = f.core.stats().pte_reads;
  expect_fault(f.load(uint64_t{1} << 40), Cause::kLoadPageFault);
  expect_fault(f.fetch(0x8000'0000'0000'0000ull), Cause::kFetchPageFault);
  REQUIRE(f.core.stats().pte_reads == reads);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("PTE outside physical memory is an access fault, not a page fault (BOOM #810)",
          "[walk][regression]") {
  RtlFixture f;
  f.map(0x1000, kUserRW);
  const PhysAddr root_slot = base_of(f.table.root());
  f.mem.write_u64(root_slot, pte::make(Ppn{uint64_t{1} << 30}, pte::kV));  // table far outside memory
  expect_fault(f.load(0x1000), Cause::kLoadAccessFault);
  expect_fault(f.store_(0x1000), Cause::kStoreAccessFault);
  expect_fault(f.fetch(0x1000), Cause::kFetchAccessFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("Svade: A clear faults - D clear faults on a store only", "[walk][ad]") {
  RtlFixture f;
  f.map(0x1000, pte::kR | pte::kW | pte::kU);  // neither A nor D
  expect_fault(f.load(0x1000), Cause::kLoadPageFault);
  f.set_leaf(0x1000, f.leaf(0x1000) | pte::kA);
  REQUIRE_FALSE(f.load(0x1000).fault);
  expect_fault(f.store_(0x1000), Cause::kStorePageFault);
  REQUIRE(f.core.stats().pte_writes == 0);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("Svadu: the walker writes A, and D on a store, into the PTE", "[walk][ad]") {
  RtlFixture f;
  f.use(Asid{1}, TranslationControl{false, false, true});
  f.map(0x1000, pte::kR | pte::kW | pte::kU);
  REQUIRE_FALSE(f.load(0x1000).fault);
  REQUIRE((f.leaf(0x1000) & (pte::kA | pte::kD)) == pte::kA);
  REQUIRE_FALSE(f.store_(0x1000).fault);  // hit has D clear: walks again to set D
  REQUIRE((f.leaf(0x1000) & (pte::kA | pte::kD)) == (pte::kA | pte::kD));
  REQUIRE(f.store_(0x1000).tlb_hit);
  REQUIRE(f.core.stats().pte_writes == 2);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("Bare mode passes addresses through", "[walk]") {
  RtlFixture f;
  f.mmu.write_satp(0);
  const Translation t = f.load(0x123456789);
  REQUIRE_FALSE(t.fault);
  REQUIRE(t.pa == PhysAddr{0x123456789});
  expect_fault(f.load(uint64_t{1} << 60), Cause::kLoadAccessFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("Sv32 walks two levels of 4-byte PTEs and 4 MiB megapages take 10 VPN bits", "[walk][sv32]") {
  RtlFixture f(PagingMode::kSv32);
  const Ppn p0 = f.map(0x00403000, kUserRW, 0);
  const Ppn p1 = f.map(0x00800000, kUserRW, 1);  // 4 MiB megapage
  expect_pa(f, 0x00403ff8, base_of(p0).value() + 0xff8);
  expect_pa(f, 0x00bffff8, base_of(p1).value() + 0x3ffff8);
  REQUIRE(f.load(0x00a00000).tlb_hit);  // the megapage entry covers all 4 MiB
  // satp in the RV32 layout: MODE bit 31, ASID 30:22.
  REQUIRE(make_satp(PagingMode::kSv32, Asid{3}, Ppn{0x12345}) == 0x80c12345);
  // Only the low 32 bits of an address count; no canonical check.
  expect_pa(f, 0xffff'ffff'0040'3008ull, base_of(p0).value() + 8);
  // A megapage whose PPN is not 4 MiB aligned faults.
  f.set_leaf(0x00800000, f.leaf(0x00800000) | (uint64_t{1} << pte::kPpnShift));
  f.mmu.sfence(std::nullopt, std::nullopt);
  expect_fault(f.load(0x00800000), Cause::kLoadPageFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("Sv32 Svadu writes A and D into the 4-byte PTE only", "[walk][sv32][ad]") {
  RtlFixture f(PagingMode::kSv32);
  f.use(Asid{1}, TranslationControl{false, false, true});
  f.map(0x1000, pte::kR | pte::kW | pte::kU);
  const PhysAddr slot = f.table.find_leaf(VirtAddr{0x1000})->addr;
  f.mem.write_word(PhysAddr{slot.value() + 4}, 0x5a5a5a5a, 4);  // the neighbouring PTE
  REQUIRE_FALSE(f.store_(0x1000).fault);
  REQUIRE((f.leaf(0x1000) & (pte::kA | pte::kD)) == (pte::kA | pte::kD));
  REQUIRE(f.mem.read_word(PhysAddr{slot.value() + 4}, 4) == 0x5a5a5a5a);  // untouched
  REQUIRE(f.mmu.stats().mismatches == 0);
}
