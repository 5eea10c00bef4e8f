// cosim_top.h: the SystemC top level of a co-simulation.
//
//   GuestCpu thread --(MmuPort)--> MmuWrapper --b_transport--> PhysMemoryTarget
//         |\--(PhysMemory: DMI / debug)--> TlmPhysMemory ----------^
//         |\--(SwapBackend)--> TlmSwapBackend --b_transport--> SwapDevice (host file)
//         \--(FileBackend)--> TlmFileBackend --b_transport--> FileDevice (files in host memory)
//   Kswapd thread: background reclaim, woken by the kernel below the low watermark
//
// The guest CPU is one SC_THREAD: it runs the runtime and the workload, and
// every translation steps the RTL inside that thread.
#pragma once

#include <memory>
#include <systemc>

#include "model/file_device.h"
#include "model/mmu_wrapper.h"
#include "model/phys_memory_target.h"
#include "model/swap_device.h"
#include "model/tlm_phys_memory.h"
#include "testbench/harness/kswapd.h"
#include "testbench/harness/simulation.h"

namespace vmsim {

class CoSimTop : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(CoSimTop);
  CoSimTop(sc_core::sc_module_name name, const SimConfig& cfg);

  const SimOutcome& outcome() const { return outcome_; }

 private:
  void guest_cpu();
  void io_wait(uint64_t cycles);

  static constexpr double kClockNs = 1.0;  // 1 GHz
  SimConfig cfg_;
  PhysMemoryTarget memory_;
  MmuWrapper mmu_;
  TlmPhysMemory cpu_mem_;
  Kswapd kswapd_;
  FileDevice file_dev_;
  TlmFileBackend files_;
  std::unique_ptr<SwapDevice> swap_dev_;
  std::unique_ptr<TlmSwapBackend> swap_;
  SimOutcome outcome_;
};

}  // namespace vmsim
