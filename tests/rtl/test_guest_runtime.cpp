// The guest runtime over the RTL MMU: lazy allocation, data integrity,
// dirty tracking under Svade, and invalid accesses that never crash the host.
#include <catch2/catch.hpp>

#include "sw/kernel/guest_runtime.h"
#include "testbench/harness/plain_machine.h"

using namespace vmsim;

namespace {
struct RuntimeFixture {
  explicit RuntimeFixture(bool svadu = false) : m({uint64_t{32} << 20, 2}), rt(mem, mmu, config(svadu)) {
    REQUIRE(
        rt.add_lazy_region({"heap", VirtAddr{0x10000000}, 64 * kPageSize, Perms{true, true, false, true}}));
    REQUIRE(rt.add_lazy_region({"ro", VirtAddr{0x20000000}, 4 * kPageSize, Perms{true, false, false, true}}));
  }
  ~RuntimeFixture() {  // every test also requires the RTL to agree with the reference
    INFO(mmu.first_mismatch());
    CHECK(mmu.stats().mismatches == 0);
  }
  static RuntimeConfig config(bool svadu) {
    RuntimeConfig c;
    c.control.svadu = svadu;
    return c;
  }
  PlainMachine m;
  HostMemory& mem = m.mem;
  RtlMmuCore& core = m.core;
  CheckedMmu& mmu = m.mmu;
  GuestRuntime rt;
};
}  // namespace

TEST_CASE("first touch of a page is a minor fault that maps a zeroed frame", "[runtime][lazy]") {
  RuntimeFixture f;
  const uint64_t used = f.rt.frames().used();
  const AccessResult a = f.rt.load(VirtAddr{0x10000008}, 8, Priv::kUser);
  REQUIRE(a.ok);
  REQUIRE(a.value == 0);
  REQUIRE(f.rt.stats().faults.minor == 1);
  REQUIRE(f.rt.frames().used() > used);
  REQUIRE(f.rt.space().table().find_leaf(VirtAddr{0x10000000}));
  // The second touch is served by the TLB: no new fault.
  REQUIRE(f.rt.load(VirtAddr{0x10000010}, 8, Priv::kUser).ok);
  REQUIRE(f.rt.stats().faults.minor == 1);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("a store to a page first mapped by a load sets D through a minor fault (Svade)",
          "[runtime][lazy]") {
  RuntimeFixture f;
  REQUIRE(f.rt.load(VirtAddr{0x10001000}, 8, Priv::kUser).ok);
  REQUIRE_FALSE(f.rt.space().table().find_leaf(VirtAddr{0x10001000})->entry & pte::kD);
  REQUIRE(f.rt.store(VirtAddr{0x10001000}, 42, 8, Priv::kUser).ok);
  REQUIRE(f.rt.space().table().find_leaf(VirtAddr{0x10001000})->entry & pte::kD);
  REQUIRE(f.rt.stats().faults.minor == 2);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("with Svadu the hardware sets D and the runtime takes no dirty fault", "[runtime][lazy]") {
  RuntimeFixture f(true);
  REQUIRE(f.rt.load(VirtAddr{0x10001000}, 8, Priv::kUser).ok);
  REQUIRE(f.rt.store(VirtAddr{0x10001000}, 42, 8, Priv::kUser).ok);
  REQUIRE(f.rt.space().table().find_leaf(VirtAddr{0x10001000})->entry & pte::kD);
  REQUIRE(f.rt.stats().faults.minor == 1);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("data written through the MMU reads back unchanged, all sizes", "[runtime][data]") {
  RuntimeFixture f;
  for (uint64_t i = 0; i < 64 * kPageSize; i += 520) {
    REQUIRE(f.rt.store(VirtAddr{0x10000000 + (i & ~7ull)}, i * 0x9e3779b97f4a7c15ull, 8, Priv::kUser).ok);
  }
  for (uint64_t i = 0; i < 64 * kPageSize; i += 520) {
    const AccessResult a = f.rt.load(VirtAddr{0x10000000 + (i & ~7ull)}, 8, Priv::kUser);
    REQUIRE(a.ok);
    REQUIRE(a.value == i * 0x9e3779b97f4a7c15ull);
  }
  REQUIRE(f.rt.store(VirtAddr{0x10000003}, 0xab, 1, Priv::kUser).ok);
  REQUIRE(f.rt.store(VirtAddr{0x10000004}, 0xcdef, 2, Priv::kUser).ok);
  REQUIRE(f.rt.load(VirtAddr{0x10000003}, 1, Priv::kUser).value == 0xab);
  REQUIRE(f.rt.load(VirtAddr{0x10000004}, 2, Priv::kUser).value == 0xcdef);
  REQUIRE(f.rt.stats().faults.minor == 64);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("an access outside every region is an invalid fault that ends the process, not the run",
          "[runtime][invalid]") {
  RuntimeFixture f;
  Process& first = f.rt.current();
  const AccessResult a = f.rt.load(VirtAddr{0x30000000}, 8, Priv::kUser);
  REQUIRE_FALSE(a.ok);
  REQUIRE(a.fault->va == VirtAddr{0x30000000});
  REQUIRE(a.fault->cause == Cause::kLoadPageFault);
  REQUIRE(a.fault->reason == "address is in no region");
  REQUIRE(f.rt.stats().faults.invalid == 1);
  REQUIRE_FALSE(first.alive);
  REQUIRE(first.end_reason.find("segmentation fault") != std::string::npos);
  // The run goes on with another process.
  Process& next = f.rt.create_process("next");
  f.rt.switch_to(next);
  REQUIRE(f.rt.add_lazy_region({"heap", VirtAddr{0x10000000}, kPageSize, Perms{true, true, false, true}}));
  REQUIRE(f.rt.store(VirtAddr{0x10000000}, 5, 8, Priv::kUser).ok);
  REQUIRE(f.rt.audit().clean());
}

TEST_CASE("a store to a read-only region is an invalid fault and maps nothing writable",
          "[runtime][invalid]") {
  RuntimeFixture f;
  REQUIRE(f.rt.load(VirtAddr{0x20000000}, 8, Priv::kUser).ok);  // reading is fine
  const AccessResult a = f.rt.store(VirtAddr{0x20000000}, 1, 8, Priv::kUser);
  REQUIRE_FALSE(a.ok);
  REQUIRE(a.fault->cause == Cause::kStorePageFault);
  REQUIRE(f.rt.stats().faults.invalid == 1);
  REQUIRE_FALSE(f.rt.current().alive);
}

TEST_CASE("fetch from a non-executable region is invalid", "[runtime][invalid]") {
  RuntimeFixture f;
  REQUIRE(f.rt.store(VirtAddr{0x10000000}, 7, 8, Priv::kUser).ok);
  REQUIRE(f.rt.fetch(VirtAddr{0x10000000}, Priv::kUser).fault->cause == Cause::kFetchPageFault);
  REQUIRE(f.mmu.stats().mismatches == 0);
}

TEST_CASE("supervisor access to user pages, non-canonical and misaligned accesses are invalid",
          "[runtime][invalid]") {
  for (int kind = 0; kind < 3; ++kind) {
    RuntimeFixture f;
    REQUIRE(f.rt.store(VirtAddr{0x10000000}, 7, 8, Priv::kUser).ok);
    AccessResult a;
    if (kind == 0) a = f.rt.load(VirtAddr{0x10000000}, 8, Priv::kSupervisor);
    if (kind == 1) a = f.rt.load(VirtAddr{uint64_t{1} << 63}, 8, Priv::kUser);
    if (kind == 2) a = f.rt.load(VirtAddr{0x10000001}, 8, Priv::kUser);
    REQUIRE_FALSE(a.ok);
    REQUIRE(f.mmu.stats().mismatches == 0);
  }
}

TEST_CASE("running out of frames with no swap calls the OOM killer instead of crashing", "[runtime][oom]") {
  RuntimeFixture f;
  REQUIRE(f.rt.add_lazy_region(
      {"big", VirtAddr{0x40000000}, uint64_t{64} << 20, Perms{true, true, false, true}}));
  bool killed = false;
  for (uint64_t va = 0x40000000; va < 0x40000000 + (uint64_t{64} << 20); va += kPageSize) {
    const AccessResult a = f.rt.store(VirtAddr{va}, 1, 8, Priv::kUser);
    if (!a.ok) {
      REQUIRE(a.fault->reason.find("OOM") != std::string::npos);
      killed = true;
      break;
    }
  }
  REQUIRE(killed);
  REQUIRE(f.rt.stats().oom_kills == 1);
  REQUIRE_FALSE(f.rt.current().alive);
  REQUIRE(f.rt.frames().used() == 0);  // everything it held is back
}
