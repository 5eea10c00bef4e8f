// kswapd.h: background reclaim as SystemC threads, one per NUMA node
// (kswapd0, kswapd1, ..., as Linux names them).
//
// The kernel wakes a node's thread when the node's free frames fall below its
// low watermark; it runs GuestRuntime::background_reclaim(node) (reclaim
// there until free >= high) on its own thread. It runs between the guest CPU's time quanta and whenever the
// CPU waits for swap I/O; its own swap writes let simulated time pass on its thread, so reclaim overlaps with
// the guest's work as it does in Linux.
#pragma once

#include <memory>
#include <systemc>
#include <vector>

#include "sw/kernel/guest_runtime.h"

namespace vmsim {

class Kswapd : public sc_core::sc_module, public BackgroundReclaimer {
 public:
  SC_HAS_PROCESS(Kswapd);
  Kswapd(sc_core::sc_module_name name, unsigned nodes);

  void wake(unsigned node) override { nodes_[node]->wake.notify(sc_core::SC_ZERO_TIME); }
  // Called from the guest CPU thread: nullptr waits until reclaim is idle on
  // every node, so the kernel can be torn down safely.
  void attach(GuestRuntime* kernel);
  // True on any node's kswapd thread.
  bool is_current_thread() const;

 private:
  struct Node {
    sc_core::sc_event wake;
    sc_core::sc_process_handle thread;
  };
  void run(unsigned node);

  GuestRuntime* kernel_ = nullptr;
  unsigned busy_ = 0;  // threads reclaiming now
  sc_core::sc_event idle_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

}  // namespace vmsim
