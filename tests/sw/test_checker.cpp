// The checker against a scripted device: what the spec allows passes (the
// spec walk's answer, a translation software left unfenced), and nothing
// else does (an alias the spec forbids, a stale answer after a fence, a
// missing A/D write-back, a hit the organization does not predict).
#include <catch2/catch.hpp>

#include "model/host_memory.h"
#include "sw/page_table.h"
#include "sw/phys_frames.h"
#include "testbench/check/checked_mmu.h"

using namespace vmsim;

namespace {

// A device that answers whatever the test says next, or the PA given.
struct ScriptedMmu final : MmuPort {
  Translation next;
  Translation translate(VirtAddr, Access, Priv) override { return next; }
  void write_satp(uint64_t) override {}
  void set_control(const TranslationControl&) override {}
  void sfence(std::optional<VirtAddr>, std::optional<Asid>) override {}
  uint64_t cycles() const override { return 0; }
};

// A walk in the bench's Sv39 table reads three PTEs (a fault at the leaf
// level too); a hit reads none.
Translation pa(uint64_t a, bool hit = false) {
  return Translation{false, Cause::kNone, PhysAddr{a}, hit, false, uint8_t(hit ? 0 : 3)};
}
Translation fault(Cause c, uint8_t reads = 3) {
  return Translation{true, c, PhysAddr{}, false, false, reads};
}

constexpr uint64_t kRW = pte::kR | pte::kW | pte::kU | pte::kA | pte::kD;

// An Sv39 page table in 16 MiB of memory, for tests that map their own pages.
struct Sv39Table {
  SparseStore store{16 << 20};
  HostMemory mem{store};
  PhysFrames frames{store.size() >> kPageShift};
  PageTable table{mem, frames, PagingMode::kSv39};
};

struct Bench {
  explicit Bench(bool know_org)
      : store(16 << 20),
        mem(store),
        frames(store.size() >> kPageShift),
        table(mem, frames, PagingMode::kSv39),
        mmu(dut, mem, MmuFeatures::all(64), know_org ? make_vmsim_tlb(TlbHierarchy{}) : nullptr) {
    REQUIRE(table.map(VirtAddr{0x1000}, Ppn{0x80}, kRW));
    mmu.write_satp(make_satp(PagingMode::kSv39, Asid{1}, table.root()));
  }
  Translation ask(uint64_t va, Translation answer, Access a = Access::kLoad) {
    dut.next = answer;
    return mmu.translate(VirtAddr{va}, a, Priv::kUser);
  }
  void remap(uint64_t va, uint64_t ppn) {  // software edits the leaf, without a fence
    auto slot = table.find_leaf(VirtAddr{va});
    table.update(*slot, pte::make(Ppn{ppn}, kRW | pte::kV));
  }
  SparseStore store;
  HostMemory mem;
  PhysFrames frames;
  PageTable table;
  ScriptedMmu dut;
  CheckedMmu mmu;
};

}  // namespace

TEST_CASE("checker: the spec walk's answer passes at both levels", "[sw][checker]") {
  for (bool org : {false, true}) {
    Bench b(org);
    b.ask(0x1008, pa(0x80008));
    b.ask(0x1010, pa(0x80010, org));  // a hit, as the organization predicts
    b.ask(0x5000, fault(Cause::kLoadPageFault));
    INFO(b.mmu.first_mismatch());
    REQUIRE(b.mmu.stats().mismatches == 0);
  }
}

TEST_CASE("checker: a wrong address or cause fails at both levels", "[sw][checker]") {
  for (bool org : {false, true}) {
    Bench b(org);
    b.ask(0x1008, pa(0x81008));
    REQUIRE(b.mmu.stats().mismatches == 1);
    b.ask(0x5000, fault(Cause::kLoadAccessFault));
    REQUIRE(b.mmu.stats().mismatches == 2);
    REQUIRE_THAT(b.mmu.first_mismatch(), Catch::Contains("translation differs"));
  }
}

TEST_CASE("checker: an unfenced translation may still be used, until a fence removes it", "[sw][checker]") {
  Bench b(false);
  b.ask(0x1008, pa(0x80008));  // the device may cache it now
  b.remap(0x1000, 0x90);       // no fence
  b.ask(0x1008, pa(0x80008));  // stale, legal
  b.ask(0x1008, pa(0x90008));  // current, legal
  REQUIRE(b.mmu.stats().mismatches == 0);
  REQUIRE(b.mmu.stats().cached_answers == 1);
  b.mmu.sfence(VirtAddr{0x1000}, std::nullopt);
  b.ask(0x1008, pa(0x80008));  // stale after the fence: wrong
  REQUIRE(b.mmu.stats().mismatches == 1);
}

TEST_CASE("checker: no cached translation makes a non-canonical address translate", "[sw][checker]") {
  Bench b(false);
  b.ask(0x1008, pa(0x80008));
  b.ask(0x0200000000001008, pa(0x80008));  // the alias a 45-bit tag compare would hit
  REQUIRE(b.mmu.stats().mismatches == 1);
  REQUIRE_THAT(b.mmu.first_mismatch(), Catch::Contains("non_canonical"));
}

TEST_CASE("checker: today's permissions apply to a cached translation", "[sw][checker]") {
  Bench b(false);
  b.ask(0x1008, pa(0x80008));
  b.dut.next = pa(0x80008);
  b.mmu.translate(VirtAddr{0x1008}, Access::kLoad, Priv::kSupervisor);  // U page, no SUM: must fault
  REQUIRE(b.mmu.stats().mismatches == 1);
}

TEST_CASE("checker: a Svadu walk must write A and D back", "[sw][checker]") {
  Bench b(false);
  b.mmu.set_control(TranslationControl{false, false, true});
  REQUIRE(b.table.map(VirtAddr{0x2000}, Ppn{0x81}, pte::kR | pte::kW | pte::kU));  // A, D clear
  b.ask(0x2000, pa(0x81000), Access::kStore);  // the device "forgot" the write-back
  REQUIRE(b.mmu.stats().mismatches == 1);
  REQUIRE_THAT(b.mmu.first_mismatch(), Catch::Contains("A/D write-back missing"));
}

TEST_CASE("checker: the organization level catches a hit the model does not predict", "[sw][checker]") {
  Bench arch(false), org(true);
  for (Bench* b : {&arch, &org}) b->ask(0x1008, pa(0x80008, true));  // a hit on a cold TLB
  REQUIRE(arch.mmu.stats().mismatches == 0);                         // architecturally fine
  REQUIRE(org.mmu.stats().mismatches == 1);
  REQUIRE_THAT(org.mmu.first_mismatch(), Catch::Contains("TLB hit/miss differs"));
}

TEST_CASE("checker: a leaf whose walk faulted only on this access's rights may be cached", "[sw][checker]") {
  // The walk for a supervisor load of a U page finds a good leaf and faults on
  // the U/S rule alone; an MMU may keep that leaf and, after the PTE changes
  // without a fence, still answer a user load from it.
  Bench b(false);
  b.dut.next = fault(Cause::kLoadPageFault);
  b.mmu.translate(VirtAddr{0x1008}, Access::kLoad, Priv::kSupervisor);
  b.remap(0x1000, 0x90);       // no fence
  b.ask(0x1008, pa(0x80008));  // the leaf cached by the faulting walk: legal
  REQUIRE(b.mmu.stats().mismatches == 0);
  REQUIRE(b.mmu.stats().cached_answers == 1);
}

TEST_CASE("checker: a misaligned superpage is never a legal cached translation", "[sw][checker]") {
  Bench b(false);
  REQUIRE(b.table.map(VirtAddr{0x200000}, Ppn{0x201}, kRW, 1));  // PPN not 2 MiB aligned
  b.ask(0x200008, fault(Cause::kLoadPageFault));
  b.ask(0x200008, pa(0x201008));  // what a device that cached it would say
  REQUIRE(b.mmu.stats().mismatches == 1);
  REQUIRE_THAT(b.mmu.first_mismatch(), Catch::Contains("misaligned"));
}

TEST_CASE("checker: after a non-canonical request, its canonical alias may be cached", "[sw][checker]") {
  // An MMU may walk the low bits of a non-canonical address (any address may
  // be walked speculatively): the translation it may keep is the canonical
  // alias's, valid at that time.
  Bench b(false);
  b.ask(0x0200000000001008, fault(Cause::kLoadPageFault));
  b.remap(0x1000, 0x90);       // no fence
  b.ask(0x1008, pa(0x80008));  // from the alias's walk: legal
  REQUIRE(b.mmu.stats().mismatches == 0);
  b.mmu.sfence(VirtAddr{0x1000}, std::nullopt);
  b.ask(0x1008, pa(0x80008));  // fenced: wrong
  REQUIRE(b.mmu.stats().mismatches == 1);
}

TEST_CASE("checker: with an L2 TLB, the level that hit is checked too", "[sw][checker]") {
  // L1: one entry; L2: four. Pages 1 and 2 alternate: the L1 keeps only the
  // last, the L2 both, so from the third request on the L2 serves each.
  SparseStore store(16 << 20);
  HostMemory mem(store);
  PhysFrames frames(store.size() >> kPageShift);
  PageTable table(mem, frames, PagingMode::kSv39);
  REQUIRE(table.map(VirtAddr{0x1000}, Ppn{0x80}, kRW));
  REQUIRE(table.map(VirtAddr{0x2000}, Ppn{0x81}, kRW));
  ScriptedMmu dut;
  TlbHierarchy h;
  h.l1 = TlbGeometry{1, 1, TlbPolicy::kLru, 0};
  h.l2 = TlbGeometry{1, 4, TlbPolicy::kLru, 0};
  CheckedMmu mmu(dut, mem, MmuFeatures::all(64), make_vmsim_tlb(h));
  mmu.write_satp(make_satp(PagingMode::kSv39, Asid{1}, table.root()));
  auto ask = [&](uint64_t va, uint64_t p, bool hit, bool l2) {
    dut.next = Translation{false, Cause::kNone, PhysAddr{p}, hit, l2, uint8_t(hit ? 0 : 3)};
    mmu.translate(VirtAddr{va}, Access::kLoad, Priv::kUser);
  };
  ask(0x1000, 0x80000, false, false);  // walks
  ask(0x2000, 0x81000, false, false);  // walks
  ask(0x1000, 0x80000, true, true);    // the L2 serves it
  REQUIRE(mmu.stats().mismatches == 0);
  ask(0x2000, 0x81000, true, false);  // claims the L1 served it: wrong
  REQUIRE(mmu.stats().mismatches == 1);
  REQUIRE_THAT(mmu.first_mismatch(), Catch::Contains("L2 TLB hit expected"));
  ask(0x2000, 0x81000, true, true);  // the L1 holds it now (filled by the L2): an L2 hit is wrong
  REQUIRE(mmu.stats().mismatches == 2);
  const TlbCounts& c = *mmu.tlb_counts();
  CHECK(c.l1.c.accesses == 5);
  CHECK(c.l1.c.hits == 1);
  CHECK(c.l2.c.accesses == 4);
  CHECK(c.l2.c.hits == 2);
  CHECK(c.l1.c.evictions == 3);  // every fill after the first replaces the one entry
  CHECK(!c.l1i.present);
}

TEST_CASE("checker: with page-walk caches, where each walk starts is checked by its PTE reads",
          "[sw][checker]") {
  // One L1 entry, and a one-entry cache of level-1 pointers: pages 1 and 2
  // share their leaf table, so after the first walk the next starts there.
  Sv39Table t;
  REQUIRE(t.table.map(VirtAddr{0x1000}, Ppn{0x80}, kRW));
  REQUIRE(t.table.map(VirtAddr{0x2000}, Ppn{0x81}, kRW));
  REQUIRE(t.table.map(VirtAddr{0x40000000}, Ppn{0x82}, kRW));  // another 1 GiB region
  PageTable& table = t.table;
  HostMemory& mem = t.mem;
  ScriptedMmu dut;
  TlbHierarchy h;
  h.l1 = TlbGeometry{1, 1, TlbPolicy::kLru, 0};
  h.pwc[0] = PwcGeometry{1, TlbPolicy::kLru};
  CheckedMmu mmu(dut, mem, MmuFeatures::all(64), make_vmsim_tlb(h));
  mmu.write_satp(make_satp(PagingMode::kSv39, Asid{1}, table.root()));
  auto ask = [&](uint64_t va, uint64_t p, uint8_t reads) {
    dut.next = Translation{false, Cause::kNone, PhysAddr{p}, false, false, reads};
    mmu.translate(VirtAddr{va}, Access::kLoad, Priv::kUser);
  };
  ask(0x1000, 0x80000, 3);  // a full walk fills the cache
  ask(0x2000, 0x81000, 1);  // starts in the cached leaf table
  REQUIRE(mmu.stats().mismatches == 0);
  ask(0x1000, 0x80000, 3);  // claims a full walk: the cache held the pointer
  REQUIRE(mmu.stats().mismatches == 1);
  REQUIRE_THAT(mmu.first_mismatch(), Catch::Contains("walk depth (PTE reads) differs"));
  REQUIRE_THAT(mmu.first_mismatch(), Catch::Contains("from the level 1 pointer"));
  ask(0x40000000, 0x82000, 3);  // another region: the one entry is replaced
  ask(0x2000, 0x81000, 3);      // so this walks from the root
  REQUIRE(mmu.stats().mismatches == 1);
  const TlbCounts& c = *mmu.tlb_counts();
  CHECK(c.pwc[0].present);
  CHECK_FALSE(c.pwc[1].present);
  CHECK(c.pwc[0].c.accesses == 5);
  CHECK(c.pwc[0].c.hits == 2);
  CHECK(c.pwc[0].c.evictions == 2);
  mmu.sfence(VirtAddr{0x2000}, std::nullopt);  // an address fence removes the pointer covering it
  ask(0x1000, 0x80000, 3);
  REQUIRE(mmu.stats().mismatches == 1);
}
