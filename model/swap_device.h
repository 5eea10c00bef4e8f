// swap_device.h: a block device for swap, as a SystemC/TLM-2.0 target.
//
// Address = slot x 4096; each transaction moves one whole page and is
// annotated with the configured per-page latency. Storage is a host file
// (FileSwapBackend). Partial pages, addresses past the last slot and I/O
// errors get TLM error responses.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "model/file_swap_backend.h"

namespace vmsim {

class SwapDevice : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<SwapDevice> socket;

  SwapDevice(sc_core::sc_module_name name, uint64_t slots, sc_core::sc_time page_latency,
             const std::string& path = {});

  uint64_t slots() const { return store_.slots(); }
  // Direct access to the medium, bypassing the bus (tests that corrupt a slot).
  FileSwapBackend& medium() { return store_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  FileSwapBackend store_;
  sc_core::sc_time latency_;
};

// The kernel's SwapBackend over a TLM initiator socket bound to a SwapDevice.
// Latency is returned in clock cycles; the kernel decides when time passes.
class TlmSwapBackend : public sc_core::sc_module, public SwapBackend {
 public:
  tlm_utils::simple_initiator_socket<TlmSwapBackend> socket;

  TlmSwapBackend(sc_core::sc_module_name name, uint64_t slots, sc_core::sc_time clock_period);

  uint64_t slots() const override { return slots_; }
  bool write_page(uint64_t slot, const uint8_t* page, uint64_t& latency_cycles) override;
  bool read_page(uint64_t slot, uint8_t* page, uint64_t& latency_cycles) override;

 private:
  bool transfer(tlm::tlm_command cmd, uint64_t slot, uint8_t* page, uint64_t& latency_cycles);

  uint64_t slots_;
  sc_core::sc_time period_;
};

}  // namespace vmsim
