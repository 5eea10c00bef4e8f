#include "testbench/harness/kswapd.h"

namespace vmsim {

Kswapd::Kswapd(sc_core::sc_module_name name) : sc_module(name) {
  SC_THREAD(run);
  thread_ = sc_core::sc_get_last_created_process_handle();
}

void Kswapd::attach(GuestRuntime* kernel) {
  if (!kernel) {
    while (busy_) sc_core::wait(idle_);
  }
  kernel_ = kernel;
}

void Kswapd::run() {
  for (;;) {
    sc_core::wait(wake_);
    if (!kernel_) continue;
    // Woken from inside a kernel operation: start once it has finished.
    while (kernel_ && kernel_->in_critical_section()) sc_core::wait(sc_core::sc_time(1, sc_core::SC_NS));
    if (!kernel_) continue;
    busy_ = true;
    kernel_->background_reclaim();
    busy_ = false;
    idle_.notify();
  }
}

}  // namespace vmsim
