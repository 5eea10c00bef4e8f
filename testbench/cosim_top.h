// cosim_top.h: the SystemC top level of a co-simulation.
//
//   GuestCpu thread --(MmuPort)--> MmuWrapper --b_transport--> PhysMemoryTarget
//         \--(PhysMemory: DMI / debug)--> TlmPhysMemory ----------^
//
// The guest CPU is one SC_THREAD: it runs the runtime and the workload, and
// every translation steps the RTL inside that thread.
#pragma once

#include <systemc>

#include "model/mmu_wrapper.h"
#include "model/phys_memory_target.h"
#include "model/tlm_phys_memory.h"
#include "testbench/simulation.h"

namespace vmsim {

class CoSimTop : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(CoSimTop);
  CoSimTop(sc_core::sc_module_name name, const SimConfig& cfg);

  const SimOutcome& outcome() const { return outcome_; }

 private:
  void guest_cpu();

  static constexpr double kClockNs = 1.0;  // 1 GHz
  SimConfig cfg_;
  PhysMemoryTarget memory_;
  MmuWrapper mmu_;
  TlmPhysMemory cpu_mem_;
  SimOutcome outcome_;
};

}  // namespace vmsim
