// Directed regression tests for bug classes found in open-source MMUs. Each
// test is named after what it guards against.
#include <catch2/catch.hpp>

#include "support/rtl_fixture.h"

using namespace vmsim;
using namespace vmsim::test;

namespace {
// Serves walker reads from memory and fires an sfence.vma, as software on
// another hart would, while the n-th PTE read is outstanding.
class FlushingWalkerMemory final : public WalkerMemory {
 public:
  FlushingWalkerMemory(SparseStore& s, unsigned flush_at_read) : plain_(s, 2), flush_at_(flush_at_read) {}
  RtlMmuCore* core = nullptr;
  WalkerResponse access(const WalkerRequest& req, uint64_t elapsed) override {
    if (!req.write && ++reads_ == flush_at_ && core) core->sfence(std::nullopt, std::nullopt);
    return plain_.access(req, elapsed);
  }

 private:
  PlainWalkerMemory plain_;
  unsigned flush_at_;
  unsigned reads_ = 0;
};
}  // namespace

TEST_CASE("an sfence during a walk stops the walk's result from being cached (CVA6 #2973)",
          "[regression][tlb][sfence]") {
  SparseStore store(uint64_t{16} << 20);
  HostMemory mem(store);
  FlushingWalkerMemory wmem(store, 2);  // flush while the level-1 PTE is being read
  RtlMmuCore core(wmem);
  wmem.core = &core;
  PhysFrames frames(store.size() >> kPageShift);
  PageTable table(mem, frames, PagingMode::kSv39);
  REQUIRE(table.map(VirtAddr{0x5000}, Ppn{99}, kUserRW));
  core.write_satp(make_satp(PagingMode::kSv39, Asid{1}, table.root()));
  const Translation t = core.translate(VirtAddr{0x5008}, Access::kLoad, Priv::kUser);
  REQUIRE_FALSE(t.fault);  // the walk itself completes with the data it read
  REQUIRE(t.pa == PhysAddr{99 * kPageSize + 8});
  REQUIRE(core.stats().sfences == 1);
  // The PTEs read before the fence may be stale: nothing may have been cached.
  const Translation again = core.translate(VirtAddr{0x5008}, Access::kLoad, Priv::kUser);
  REQUIRE_FALSE(again.tlb_hit);
  REQUIRE(core.translate(VirtAddr{0x5008}, Access::kLoad, Priv::kUser).tlb_hit);
}

TEST_CASE("execute permission does not leak from a data-side refill (CVA6 #3573)", "[regression][perm]") {
  RtlFixture f;
  f.map(0x7000, pte::kR | pte::kU | pte::kA);  // readable, not executable
  REQUIRE_FALSE(f.load(0x7000).fault);         // refills the TLB from a load
  const Translation x = f.fetch(0x7000);
  REQUIRE(x.fault);
  REQUIRE(x.cause == Cause::kFetchPageFault);
  f.use(Asid{1}, TranslationControl{false, true, false});  // MXR: X pages readable, not R pages executable
  REQUIRE(f.fetch(0x7000).fault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("reserved PTE bits fault at every level (BOOM #735)", "[regression][pte]") {
  for (unsigned bit = 54; bit <= 60; ++bit) {
    RtlFixture f;
    f.map(0x200000, kUserRW, 1);
    f.set_leaf(0x200000, f.leaf(0x200000) | (uint64_t{1} << bit));
    REQUIRE(f.load(0x200000).fault);
    // ... and in a pointer on the way down.
    f.map(0x1000, kUserRW);
    const PhysAddr root_slot = base_of(f.table.root());
    f.mem.write_u64(root_slot, f.mem.read_u64(root_slot) | (uint64_t{1} << bit));
    REQUIRE(f.load(0x1000).cause == Cause::kLoadPageFault);
    REQUIRE(f.mmu.stats().mismatches == 0);
  }
}

TEST_CASE("a superpage entry is found from every address it covers, not only its first page",
          "[regression][tlb]") {
  RtlFixture f(PagingMode::kSv39, uint64_t{1} << 31);
  const Ppn p = f.map(uint64_t{1} << 30, kUserRW, 2);                // 1 GiB
  REQUIRE_FALSE(f.load((uint64_t{1} << 30) + 0x3fff'f000).tlb_hit);  // refill from the last page
  for (uint64_t off = 0; off < (uint64_t{1} << 30); off += 0x1230'0000) {
    const Translation t = f.load((uint64_t{1} << 30) + off);
    REQUIRE(t.tlb_hit);
    REQUIRE(t.pa == PhysAddr{base_of(p).value() + off});
  }
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("an ASID flush keeps global entries - a full flush drops them", "[regression][sfence]") {
  RtlFixture f;
  f.map(0x2000, kKernRW | pte::kG);
  f.map(0x3000, kKernRW);
  f.load(0x2000, Priv::kSupervisor);
  f.load(0x3000, Priv::kSupervisor);
  for (uint64_t asid : {1, 2, 0x7ff}) f.mmu.sfence(std::nullopt, Asid{asid});
  REQUIRE(f.load(0x2000, Priv::kSupervisor).tlb_hit);
  REQUIRE_FALSE(f.load(0x3000, Priv::kSupervisor).tlb_hit);
  f.mmu.sfence(std::nullopt, std::nullopt);
  REQUIRE_FALSE(f.load(0x2000, Priv::kSupervisor).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("G on a pointer PTE makes the leaves below it global", "[regression][asid]") {
  RtlFixture f;
  f.map(0x4000, kKernRW);
  const PhysAddr root_slot = base_of(f.table.root());
  f.mem.write_u64(root_slot, f.mem.read_u64(root_slot) | pte::kG);
  f.load(0x4000, Priv::kSupervisor);
  f.use(Asid{9});
  REQUIRE(f.load(0x4000, Priv::kSupervisor).tlb_hit);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

namespace {
// A memory whose page tables are read-only to the walker (as a PMP would
// make them): reads succeed, writes are refused.
class ReadOnlyTables final : public WalkerMemory {
 public:
  explicit ReadOnlyTables(SparseStore& s) : plain_(s, 2) {}
  WalkerResponse access(const WalkerRequest& req, uint64_t elapsed) override {
    if (req.write) return WalkerResponse{false, 0, 2};
    return plain_.access(req, elapsed);
  }

 private:
  PlainWalkerMemory plain_;
};
}  // namespace

TEST_CASE("a Svadu A/D write-back the memory refuses is an access fault of the access type",
          "[regression][ad]") {
  SparseStore store(uint64_t{16} << 20);
  HostMemory mem(store);
  ReadOnlyTables wmem(store);
  RtlMmuCore core(wmem);
  PhysFrames frames(store.size() >> kPageShift);
  PageTable table(mem, frames, PagingMode::kSv39);
  REQUIRE(table.map(VirtAddr{0x5000}, Ppn{99}, pte::kR | pte::kW | pte::kU));  // A and D clear
  core.set_control(TranslationControl{false, false, true});
  core.write_satp(make_satp(PagingMode::kSv39, Asid{1}, table.root()));
  const Translation st = core.translate(VirtAddr{0x5000}, Access::kStore, Priv::kUser);
  REQUIRE(st.fault);
  REQUIRE(st.cause == Cause::kStoreAccessFault);
  const Translation ld = core.translate(VirtAddr{0x5000}, Access::kLoad, Priv::kUser);
  REQUIRE(ld.cause == Cause::kLoadAccessFault);
  REQUIRE(core.stats().pte_writes == 2);
  REQUIRE_FALSE(core.translate(VirtAddr{0x5000}, Access::kLoad, Priv::kUser).tlb_hit);  // never cached
}

TEST_CASE("a satp write of a MODE the MMU lacks has no effect: satp is WARL", "[regression][satp]") {
  // The bug: a reserved MODE was kept as written and made every access fault.
  // The privileged spec: such a write leaves satp, all of its fields, as it was.
  RtlFixture f;
  f.map(0x1000, kUserRW);
  const Translation before = f.load(0x1008);
  REQUIRE_FALSE(before.fault);
  for (uint64_t mode : {1, 5, 11, 15}) {
    INFO("MODE " << mode);
    f.mmu.write_satp((mode << 60) | (uint64_t{0x7ff} << 44) | 0x12345);  // another ASID and root too
    const Translation t = f.load(0x1008);
    REQUIRE_FALSE(t.fault);
    REQUIRE(t.pa == before.pa);
  }
  f.mmu.write_satp(0);  // Bare is implemented: taken
  f.mmu.write_satp(uint64_t{5} << 60);
  REQUIRE(f.load(0x1008).pa == PhysAddr{0x1008});  // still Bare
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("a TLB hit never serves a non-canonical address: the bits above the mode's width must be checked",
          "[regression][tlb][canonical]") {
  // The bug: the hit path compared only VPN bits VA[56:12], so after a fill,
  // an address differing only in VA[63:57] (non-canonical in every mode)
  // hit and translated. Each must raise a page fault of its access type.
  for (PagingMode mode : {PagingMode::kSv39, PagingMode::kSv48, PagingMode::kSv57}) {
    for (unsigned level : {0u, 1u}) {
      INFO(to_string(mode) << " leaf level " << level);
      RtlFixture f(mode);
      const uint64_t va = level ? 0x20'0000 : 0x1000;
      f.map(va, kUserRW, level);
      REQUIRE_FALSE(f.load(va + 8).fault);  // fills the TLB
      const unsigned bits = va_bits_of(mode);
      for (uint64_t high :
           {uint64_t{1} << 57, uint64_t{0x7f} << 57, uint64_t{1} << 63, uint64_t{1} << bits}) {
        INFO(std::hex << "va 0x" << (va + 8 + high));
        const Translation t = f.load(va + 8 + high);
        REQUIRE(t.fault);
        REQUIRE(t.cause == Cause::kLoadPageFault);
        REQUIRE(f.store_(va + 8 + high).cause == Cause::kStorePageFault);
        REQUIRE(f.fetch(va + high).cause == Cause::kFetchPageFault);
      }
      REQUIRE_FALSE(f.load(va + 8).fault);  // the real address still translates
      INFO(f.mmu.first_mismatch());
      REQUIRE(f.mmu.stats().mismatches == 0);
    }
  }
}
