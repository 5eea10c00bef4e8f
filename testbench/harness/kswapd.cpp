// sc_spawn (a thread per node, made at elaboration) needs the dynamic-process API.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "testbench/harness/kswapd.h"

#include <string>

namespace vmsim {

Kswapd::Kswapd(sc_core::sc_module_name name, unsigned nodes) : sc_module(name) {
  for (unsigned n = 0; n < nodes; ++n) {
    nodes_.push_back(std::make_unique<Node>());
    nodes_.back()->thread = sc_core::sc_spawn([this, n] { run(n); }, ("kswapd" + std::to_string(n)).c_str());
  }
}

bool Kswapd::is_current_thread() const {
  const sc_core::sc_process_handle now = sc_core::sc_get_current_process_handle();
  for (const auto& node : nodes_) {
    if (node->thread == now) return true;
  }
  return false;
}

void Kswapd::attach(GuestRuntime* kernel) {
  if (!kernel) {
    while (busy_) sc_core::wait(idle_);
  }
  kernel_ = kernel;
}

void Kswapd::run(unsigned node) {
  for (;;) {
    sc_core::wait(nodes_[node]->wake);
    if (!kernel_) continue;
    // Woken from inside a kernel operation: start once it has finished.
    while (kernel_ && kernel_->in_critical_section()) sc_core::wait(sc_core::sc_time(1, sc_core::SC_NS));
    if (!kernel_) continue;
    ++busy_;
    kernel_->background_reclaim(node);
    if (--busy_ == 0) idle_.notify();
  }
}

}  // namespace vmsim
