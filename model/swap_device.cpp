#include "model/swap_device.h"

#include "model/page_transfer.h"

namespace vmsim {

SwapDevice::SwapDevice(sc_core::sc_module_name name, uint64_t slots, sc_core::sc_time page_latency,
                       const std::string& path)
    : sc_module(name), socket("socket"), store_(slots, 0, path), latency_(page_latency) {
  socket.register_b_transport(this, &SwapDevice::b_transport);
}

void SwapDevice::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  delay += latency_;
  const uint64_t addr = trans.get_address();
  if (trans.get_data_length() != kPageSize || addr % kPageSize || addr / kPageSize >= store_.slots()) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  uint64_t ignored = 0;
  const bool ok = trans.is_write() ? store_.write_page(addr / kPageSize, trans.get_data_ptr(), ignored)
                                   : store_.read_page(addr / kPageSize, trans.get_data_ptr(), ignored);
  trans.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE);
}

TlmSwapBackend::TlmSwapBackend(sc_core::sc_module_name name, uint64_t slots, sc_core::sc_time clock_period)
    : sc_module(name), socket("socket"), slots_(slots), period_(clock_period) {}

bool TlmSwapBackend::transfer(tlm::tlm_command cmd, uint64_t slot, uint8_t* page, uint64_t& latency_cycles) {
  return transfer_page(socket, cmd, slot * kPageSize, page, period_, latency_cycles);
}

bool TlmSwapBackend::write_page(uint64_t slot, const uint8_t* page, uint64_t& latency_cycles) {
  return transfer(tlm::TLM_WRITE_COMMAND, slot, const_cast<uint8_t*>(page), latency_cycles);
}

bool TlmSwapBackend::read_page(uint64_t slot, uint8_t* page, uint64_t& latency_cycles) {
  return transfer(tlm::TLM_READ_COMMAND, slot, page, latency_cycles);
}

}  // namespace vmsim
