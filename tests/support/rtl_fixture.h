// rtl_fixture.h: the RTL MMU (assertion build) stepped from plain C++ over a
// small memory, with the checker in front, for directed and random tests.
//
// Every translation in a test goes through CheckedMmu, so each test checks
// its own expectation *and* agreement with the reference model.
#pragma once

#include <bit>
#include <memory>

#include "sw/page_table.h"
#include "testbench/harness/plain_machine.h"

namespace vmsim::test {

struct RtlFixture {
  explicit RtlFixture(PagingMode mode = PagingMode::kSv39, uint64_t mem_bytes = uint64_t{64} << 20)
      : m({mem_bytes, 3, xlen_of(mode)}), frames(mem_bytes >> kPageShift), table(mem, frames, mode) {
    use(Asid{1});
  }

  // Every test over this fixture also requires the RTL to agree with the
  // reference on every translation it made.
  ~RtlFixture() {
    INFO(mmu.first_mismatch());
    CHECK(mmu.stats().mismatches == 0);
  }

  void use(Asid asid, TranslationControl ctl = {}) {
    mmu.set_control(ctl);
    mmu.write_satp(make_satp(table.mode(), asid, table.root()));
  }
  Translation load(uint64_t va, Priv p = Priv::kUser) {
    return mmu.translate(VirtAddr{va}, Access::kLoad, p);
  }
  Translation store_(uint64_t va, Priv p = Priv::kUser) {
    return mmu.translate(VirtAddr{va}, Access::kStore, p);
  }
  Translation fetch(uint64_t va, Priv p = Priv::kUser) {
    return mmu.translate(VirtAddr{va}, Access::kFetch, p);
  }
  // Maps a fresh frame (or run of frames for a superpage) at va.
  Ppn map(uint64_t va, uint64_t flags, unsigned level = 0) {
    const uint64_t n = page_size(table.mode(), level) / kPageSize;
    const Ppn p = *frames.alloc_block(static_cast<unsigned>(std::countr_zero(n)));
    REQUIRE(table.map(VirtAddr{va}, p, flags, level));
    return p;
  }
  void set_leaf(uint64_t va, uint64_t entry) {
    auto slot = table.find_leaf(VirtAddr{va});
    REQUIRE(slot);
    table.update(*slot, entry);
  }
  uint64_t leaf(uint64_t va) { return table.find_leaf(VirtAddr{va})->entry; }

  PlainMachine m;
  SparseStore& store = m.store;
  HostMemory& mem = m.mem;
  RtlMmuCore& core = m.core;
  CheckedMmu& mmu = m.mmu;
  PhysFrames frames;
  PageTable table;
};

inline constexpr uint64_t kUserRW = pte::kR | pte::kW | pte::kU | pte::kA | pte::kD;
inline constexpr uint64_t kUserRX = pte::kR | pte::kX | pte::kU | pte::kA;
inline constexpr uint64_t kKernRW = pte::kR | pte::kW | pte::kA | pte::kD;

}  // namespace vmsim::test
