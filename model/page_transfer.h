// page_transfer.h: one page over a TLM-2.0 initiator socket, as the swap
// and file devices' kernel-side ports move them: a blocking transport whose
// annotated delay comes back in clock cycles (the kernel decides when that
// time passes).
#pragma once

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>

#include "sw/types.h"

namespace vmsim {

// True when the target answered OK.
template <typename Module>
bool transfer_page(tlm_utils::simple_initiator_socket<Module>& socket, tlm::tlm_command cmd, uint64_t address,
                   uint8_t* page, sc_core::sc_time clock_period, uint64_t& latency_cycles) {
  tlm::tlm_generic_payload t;
  t.set_command(cmd);
  t.set_address(address);
  t.set_data_ptr(page);
  t.set_data_length(kPageSize);
  t.set_streaming_width(kPageSize);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket->b_transport(t, delay);
  latency_cycles = uint64_t(delay / clock_period + 0.5);
  return t.is_response_ok();
}

}  // namespace vmsim
