#include "testbench/cosim_top.h"

namespace vmsim {

CoSimTop::CoSimTop(sc_core::sc_module_name name, const SimConfig& cfg)
    : sc_module(name),
      cfg_(cfg),
      memory_("memory", cfg.mem_bytes,
              sc_core::sc_time(kClockNs * double(cfg.mem_latency_cycles), sc_core::SC_NS)),
      mmu_("mmu", sc_core::sc_time(kClockNs, sc_core::SC_NS), xlen_of(cfg.mode), cfg.trace_path),
      cpu_mem_("cpu_mem", cfg.mem_bytes) {
  mmu_.mem_socket.bind(memory_.walker_socket);
  cpu_mem_.socket.bind(memory_.cpu_socket);
  SC_THREAD(guest_cpu);
}

void CoSimTop::guest_cpu() {
  outcome_ = run_checked_workload(cfg_, cpu_mem_, mmu_, mmu_.core());
  mmu_.sync();
  outcome_.report.harness = "systemc";
  outcome_.report.sim_time_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  sc_core::sc_stop();
}

SimOutcome run_cosim(const SimConfig& cfg) {
  // Temporal decoupling: the guest thread runs ahead of SystemC time by up to
  // one quantum before it yields (see ENGINEERING.md for the trade-off).
  tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_core::sc_time(10, sc_core::SC_US));
  CoSimTop top("top", cfg);
  sc_core::sc_start();
  return top.outcome();
}

}  // namespace vmsim
