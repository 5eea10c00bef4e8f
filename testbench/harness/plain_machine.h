// plain_machine.h: one machine without SystemC.
//
//   SparseStore ─┬─ HostMemory        PhysMemory for software (the runtime, the checker)
//                └─ PlainWalkerMemory  the walker's memory, a fixed latency per PTE access
//                      └─ RtlMmuCore   the Verilated MMU, stepped from plain C++
//                            └─ CheckedMmu  what software talks to: the core, checked
//                                           against the reference model on every call
//
// `vmsim run --harness plain`, `vmsim translate` and the RTL tests all build
// this, the same way, instead of wiring the five objects by hand.
#pragma once

#include <cstdint>
#include <string>

#include "model/host_memory.h"
#include "model/plain_rtl_mmu.h"
#include "model/rtl_mmu_core.h"
#include "testbench/check/checked_mmu.h"

namespace vmsim {

struct PlainMachineConfig {
  uint64_t mem_bytes = uint64_t{64} << 20;
  uint64_t mem_latency_cycles = 1;  // per PTE access
  unsigned xlen = 64;               // 64: Sv39/48/57; 32: Sv32
  std::string trace_path;           // FST waveform (tracing build only)
  std::string device;               // a device library; empty: vmsim's own MMU
  DriverOptions driver;
};

// The checker's organization level, for a device whose TLB the reference
// knows (vmsim's own L1); nullptr: architectural results only.
inline std::unique_ptr<TlbOrganization> organization_of(const DeviceInfo& d) {
  return d.organization == "vmsim" ? make_vmsim_tlb(d.tlb) : nullptr;
}

class PlainMachine {
 public:
  explicit PlainMachine(const PlainMachineConfig& cfg)
      : store(cfg.mem_bytes),
        mem(store),
        walker_mem(store, cfg.mem_latency_cycles),
        core(walker_mem, DeviceSpec{cfg.device, cfg.xlen, cfg.trace_path, cfg.driver}),
        mmu(core, mem, core.features(), organization_of(core.info())) {
    mmu.set_window(cfg.driver.window);
  }
  PlainMachine(const PlainMachine&) = delete;
  PlainMachine& operator=(const PlainMachine&) = delete;

  SparseStore store;
  HostMemory mem;
  PlainWalkerMemory walker_mem;
  RtlMmuCore core;  // the device under test
  CheckedMmu mmu;   // the core behind the checker
};

}  // namespace vmsim
