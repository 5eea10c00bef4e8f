#include "model/phys_memory_target.h"

#include <cstring>

namespace vmsim {

PhysMemoryTarget::PhysMemoryTarget(sc_core::sc_module_name name, uint64_t size_bytes,
                                   sc_core::sc_time latency)
    : sc_module(name),
      walker_socket("walker_socket"),
      cpu_socket("cpu_socket"),
      store_(size_bytes),
      latency_(latency) {
  for (auto* s : {&walker_socket, &cpu_socket}) {
    s->register_b_transport(this, &PhysMemoryTarget::b_transport);
    s->register_get_direct_mem_ptr(this, &PhysMemoryTarget::get_direct_mem_ptr);
    s->register_transport_dbg(this, &PhysMemoryTarget::transport_dbg);
  }
}

bool PhysMemoryTarget::serve(tlm::tlm_generic_payload& trans) {
  const uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (!store_.in_range(addr, len)) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  if (trans.get_byte_enable_ptr() || trans.get_streaming_width() < len) {
    trans.set_response_status(trans.get_byte_enable_ptr() ? tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE
                                                          : tlm::TLM_BURST_ERROR_RESPONSE);
    return false;
  }
  uint8_t* mem = store_.data() + addr;
  switch (trans.get_command()) {
    case tlm::TLM_READ_COMMAND:
      std::memcpy(trans.get_data_ptr(), mem, len);
      break;
    case tlm::TLM_WRITE_COMMAND:
      std::memcpy(mem, trans.get_data_ptr(), len);
      break;
    case tlm::TLM_IGNORE_COMMAND:
      break;
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return true;
}

void PhysMemoryTarget::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  ++transactions_;
  if (serve(trans)) trans.set_dmi_allowed(true);
  delay += latency_;
}

bool PhysMemoryTarget::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
  dmi.set_dmi_ptr(store_.data());
  dmi.set_start_address(0);
  dmi.set_end_address(store_.size() - 1);
  dmi.allow_read_write();
  dmi.set_read_latency(latency_);
  dmi.set_write_latency(latency_);
  return true;
}

unsigned PhysMemoryTarget::transport_dbg(tlm::tlm_generic_payload& trans) {
  return serve(trans) ? trans.get_data_length() : 0;
}

}  // namespace vmsim
