// Several translations in flight, on the test configuration with 3 walkers
// and 6 request slots (split L1s, an L2, page-walk caches): directed cases
// for what the random test meets only by chance. Every answer also goes
// through the checker (against the spec walk).
#include <catch2/catch.hpp>

#include "model/device_library.h"
#include "sw/page_table.h"
#include "testbench/harness/plain_machine.h"

using namespace vmsim;

namespace {

struct Walkers {
  explicit Walkers(unsigned window, uint64_t latency = 3)
      : m({uint64_t{64} << 20,
           latency,
           64,
           {},
           device_dir() + "/libvmsim_mmu64_hier_walkers.so",
           DriverOptions{.window = window}}),
        frames(m.store.size() >> kPageShift),
        table(m.mem, frames, PagingMode::kSv39) {
    REQUIRE(m.core.info().tlb.walkers == 3);
    m.mmu.set_control(TranslationControl{false, false, true});  // Svadu: walkers write A/D back
    m.mmu.write_satp(make_satp(PagingMode::kSv39, Asid{1}, table.root()));
  }
  ~Walkers() {
    INFO(m.mmu.first_mismatch());
    CHECK(m.mmu.stats().mismatches == 0);
  }
  void map(uint64_t va, uint64_t flags) { REQUIRE(table.map(VirtAddr{va}, *frames.alloc(), flags)); }
  uint64_t leaf(uint64_t va) { return table.find_leaf(VirtAddr{va})->entry; }
  std::vector<Translation> batch(std::vector<TranslationRequest> reqs) {
    std::vector<Translation> out(reqs.size());
    m.mmu.translate_batch(reqs.data(), reqs.size(), out.data());
    return out;
  }
  PlainMachine m;
  PhysFrames frames;
  PageTable table;
};

constexpr uint64_t kRWX = pte::kR | pte::kW | pte::kX | pte::kU;  // A and D clear

}  // namespace

TEST_CASE("walkers: a store and a fetch of one clean page walk at once and both A/D updates land",
          "[walkers]") {
  // The store (data side) and the fetch (instruction side) do not merge: each
  // walks. The fetch reads the leaf before the store's A|D write; unless it
  // reads it again, its own A write would put D back to 0.
  Walkers w(2);
  w.map(0x40000, kRWX);
  const auto out = w.batch(
      {{VirtAddr{0x40008}, Access::kStore, Priv::kUser}, {VirtAddr{0x40010}, Access::kFetch, Priv::kUser}});
  REQUIRE_FALSE(out[0].fault);
  REQUIRE_FALSE(out[1].fault);
  CHECK_FALSE(out[1].merged);
  CHECK((w.leaf(0x40000) & (pte::kA | pte::kD)) == (pte::kA | pte::kD));
  CHECK(w.m.core.stats().walks == 2);
}

TEST_CASE("walkers: two loads of one page merge into one walk, the second answered from it", "[walkers]") {
  Walkers w(2);
  w.map(0x40000, kRWX | pte::kA | pte::kD);
  const auto out = w.batch(
      {{VirtAddr{0x40008}, Access::kLoad, Priv::kUser}, {VirtAddr{0x40ff0}, Access::kLoad, Priv::kUser}});
  CHECK(out[0].pa.value() + 0xfe8 == out[1].pa.value());
  CHECK_FALSE(out[0].merged);
  CHECK(out[1].merged);
  CHECK(w.m.core.stats().walks == 1);
  CHECK(w.m.core.stats().merged_misses == 1);
}

TEST_CASE("walkers: a store merged behind a load of a clean page walks itself and sets D", "[walkers]") {
  // The load's leaf has D clear, which a store cannot use: the parked store
  // must not answer from it.
  Walkers w(2);
  w.map(0x40000, kRWX | pte::kA);
  const auto out = w.batch(
      {{VirtAddr{0x40008}, Access::kLoad, Priv::kUser}, {VirtAddr{0x40010}, Access::kStore, Priv::kUser}});
  REQUIRE_FALSE(out[1].fault);
  CHECK_FALSE(out[1].merged);
  CHECK(w.m.core.stats().walks == 2);
  CHECK((w.leaf(0x40000) & pte::kD) != 0);
}

TEST_CASE("walkers: a hit is answered under a miss, and three misses walk at once", "[walkers]") {
  Walkers w(8, 20);
  for (uint64_t p = 0; p < 4; ++p) w.map(0x40000 + 0x200000 * p, kRWX | pte::kA | pte::kD);
  w.batch({{VirtAddr{0x40000}, Access::kLoad, Priv::kUser}});  // now in the L1
  const uint64_t before = w.m.core.cycles();
  const auto out = w.batch({{VirtAddr{0x240000}, Access::kLoad, Priv::kUser},
                            {VirtAddr{0x440000}, Access::kLoad, Priv::kUser},
                            {VirtAddr{0x640000}, Access::kLoad, Priv::kUser},
                            {VirtAddr{0x40008}, Access::kLoad, Priv::kUser}});
  CHECK(out[3].tlb_hit);
  const RtlMmuStats& s = w.m.core.stats();
  CHECK(s.cycles_by_walkers_busy[3] > 0);  // three walks overlapped
  // One walk alone takes about 3 reads x 22 cycles: three after one another
  // would take three times that.
  CHECK(w.m.core.cycles() - before < 2 * 3 * 22 + 20);
}
