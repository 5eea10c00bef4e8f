// kernel_fixture.h: the guest kernel over the RTL MMU (plain C++ harness),
// with a swap file and a file store, for the memory-manager tests. Every test over it also
// requires the RTL to agree with the reference on every translation.
#pragma once

#include <array>
#include <catch2/catch.hpp>

#include "model/file_store.h"
#include "model/file_swap_backend.h"
#include "sw/kernel/guest_runtime.h"
#include "testbench/harness/plain_machine.h"

namespace vmsim::test {

inline const Perms kRW{true, true, false, true};
inline constexpr uint64_t kBase = 0x1000'0000;

struct StubKswapd : BackgroundReclaimer {
  int wakes = 0;
  std::array<int, PhysFrames::kMaxNodes> wakes_by_node{};
  void wake(unsigned node) override {
    ++wakes, ++wakes_by_node[node];
  }  // never runs: leaves reclaim to the faulting path
};

struct Kernel {
  explicit Kernel(RuntimeConfig cfg = {}, uint64_t frames = 1024, uint64_t swap_slots = 4096,
                  BackgroundReclaimer* kswapd = nullptr)
      : m({frames * kPageSize, 2, is_sv32(cfg.mode) ? 32u : 64u}),
        swap(swap_slots, 100),
        files(100),
        rt(mem, mmu, cfg, KernelServices{swap_slots ? &swap : nullptr, kswapd, {}, {}, &files}) {}
  ~Kernel() {  // every test also requires the RTL to agree with the reference
    INFO(mmu.first_mismatch());
    CHECK(mmu.stats().mismatches == 0);
  }
  static RuntimeConfig svadu() {
    RuntimeConfig c;
    c.control.svadu = true;
    return c;
  }
  uint64_t read(uint64_t va) {
    const AccessResult a = rt.load(VirtAddr{va}, 8, Priv::kUser);
    REQUIRE(a.ok);
    return a.value;
  }
  void write(uint64_t va, uint64_t v) { REQUIRE(rt.store(VirtAddr{va}, v, 8, Priv::kUser).ok); }

  PlainMachine m;
  HostMemory& mem = m.mem;
  RtlMmuCore& core = m.core;
  CheckedMmu& mmu = m.mmu;
  FileSwapBackend swap;
  FileStore files;  // the guest's files
  GuestRuntime rt;
};

inline void require_clean_audit(Kernel& k) {
  const AuditReport a = k.rt.audit();
  INFO((a.problems.empty() ? std::string() : a.problems[0]));
  REQUIRE(a.clean());
}

}  // namespace vmsim::test
