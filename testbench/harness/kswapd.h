// kswapd.h: background reclaim as a SystemC thread.
//
// The kernel wakes it when free frames fall below the low watermark; it runs
// GuestRuntime::background_reclaim() (reclaim until free >= high) on its own
// thread. It runs between the guest CPU's time quanta and whenever the CPU
// waits for swap I/O; its own swap writes let simulated time pass on its
// thread, so reclaim overlaps with the guest's work as it does in Linux.
#pragma once

#include <systemc>

#include "sw/kernel/guest_runtime.h"

namespace vmsim {

class Kswapd : public sc_core::sc_module, public BackgroundReclaimer {
 public:
  SC_HAS_PROCESS(Kswapd);
  explicit Kswapd(sc_core::sc_module_name name);

  void wake() override { wake_.notify(sc_core::SC_ZERO_TIME); }
  // Called from the guest CPU thread: nullptr waits until reclaim is idle,
  // so the kernel can be torn down safely.
  void attach(GuestRuntime* kernel);
  bool is_current_thread() const { return sc_core::sc_get_current_process_handle() == thread_; }

 private:
  void run();

  GuestRuntime* kernel_ = nullptr;
  bool busy_ = false;
  sc_core::sc_event wake_, idle_;
  sc_core::sc_process_handle thread_;
};

}  // namespace vmsim
