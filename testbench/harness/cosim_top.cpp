#include "testbench/harness/cosim_top.h"

#include "testbench/harness/plain_machine.h"

namespace vmsim {

CoSimTop::CoSimTop(sc_core::sc_module_name name, const SimConfig& cfg)
    : sc_module(name),
      cfg_(cfg),
      memory_("memory", cfg.mem_bytes,
              sc_core::sc_time(kClockNs * double(cfg.mem_latency_cycles), sc_core::SC_NS)),
      mmu_("mmu", sc_core::sc_time(kClockNs, sc_core::SC_NS),
           DeviceSpec{cfg.device, xlen_of(cfg.mode), cfg.trace_path, cfg.driver}),
      cpu_mem_("cpu_mem", cfg.mem_bytes),
      kswapd_("kswapd", cfg.nodes),
      // Files live on a disk as slow as the swap device.
      file_dev_("file_device", sc_core::sc_time(kClockNs, sc_core::SC_NS) * double(cfg.swap_latency_cycles)),
      files_("file_port", file_dev_.store(), sc_core::sc_time(kClockNs, sc_core::SC_NS)) {
  mmu_.mem_socket.bind(memory_.walker_socket);
  files_.socket.bind(file_dev_.socket);
  cpu_mem_.socket.bind(memory_.cpu_socket);
  if (cfg.swap_slots) {
    const sc_core::sc_time period(kClockNs, sc_core::SC_NS);
    swap_dev_ = std::make_unique<SwapDevice>("swap_device", cfg.swap_slots,
                                             period * double(cfg.swap_latency_cycles), cfg.swap_file);
    swap_ = std::make_unique<TlmSwapBackend>("swap_port", cfg.swap_slots, period);
    swap_->socket.bind(swap_dev_->socket);
  }
  SC_THREAD(guest_cpu);
}

// Swap I/O time. On kswapd's thread it passes for real (the CPU runs on
// meanwhile); on the CPU's thread it is charged to the CPU's local time,
// which the quantum keeper turns into simulated time.
void CoSimTop::io_wait(uint64_t cycles) {
  const sc_core::sc_time t = sc_core::sc_time(kClockNs, sc_core::SC_NS) * double(cycles);
  if (kswapd_.is_current_thread()) {
    if (cycles) sc_core::wait(t);
  } else {
    mmu_.charge(t);
  }
}

void CoSimTop::guest_cpu() {
  HarnessServices services;
  services.kernel.swap = swap_.get();
  services.kernel.files = &files_;
  services.kernel.kswapd = &kswapd_;
  services.kernel.io_wait = [this](uint64_t cycles) { io_wait(cycles); };
  services.attach = [this](GuestRuntime* k) {
    kswapd_.attach(k);
    if (k)
      mmu_.set_yield_guard([k] { return !k->in_critical_section(); });
    else
      mmu_.set_yield_guard({});
  };
  CheckedMmu checked(mmu_, cpu_mem_, mmu_.core().features(), organization_of(mmu_.core().info()));
  checked.set_window(cfg_.driver.window);
  outcome_ = run_checked_workload(cfg_, cpu_mem_, checked, mmu_.core(), services);
  mmu_.sync();
  outcome_.report.harness = "systemc";
  outcome_.report.sim_time_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  sc_core::sc_stop();
}

SimOutcome run_cosim(const SimConfig& cfg) {
  // Temporal decoupling: the guest thread runs ahead of SystemC time by up to
  // one quantum before it yields (docs/architecture.md, "Time and speed").
  tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_core::sc_time(10, sc_core::SC_US));
  CoSimTop top("top", cfg);
  sc_core::sc_start();
  return top.outcome();
}

}  // namespace vmsim
