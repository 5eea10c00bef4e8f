// phys_memory_target.h: physical memory as a TLM-2.0 target.
//
// b_transport serves reads and writes and annotates the configured latency;
// DMI grants the whole range (the runtime's own accesses use it, untimed);
// transport_dbg serves debuggers and loaders. An address or length outside
// memory, or a byte-enable/streaming request, gets an error response status:
// never an exception, never a crash.
#pragma once

#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "model/sparse_store.h"

namespace vmsim {

class PhysMemoryTarget : public sc_core::sc_module {
 public:
  // Two ports onto the same bytes: the MMU's walker (timed b_transport) and
  // the guest runtime (DMI and debug transport).
  tlm_utils::simple_target_socket<PhysMemoryTarget> walker_socket;
  tlm_utils::simple_target_socket<PhysMemoryTarget> cpu_socket;

  PhysMemoryTarget(sc_core::sc_module_name name, uint64_t size_bytes, sc_core::sc_time latency);

  SparseStore& store() { return store_; }
  uint64_t transactions() const { return transactions_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);
  // Copies data for a checked payload; false (status set) when it is not serviceable.
  bool serve(tlm::tlm_generic_payload& trans);

  SparseStore store_;
  sc_core::sc_time latency_;
  uint64_t transactions_ = 0;
};

}  // namespace vmsim
