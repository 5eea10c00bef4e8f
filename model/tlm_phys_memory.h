// tlm_phys_memory.h: the runtime's PhysMemory over a TLM-2.0 initiator socket.
//
// Asks the target for DMI once and then copies through the host pointer (the
// runtime's page-table and data accesses cost no simulated time, as a real
// kernel's would be overlapped with the MMU's work). Where DMI is refused or
// does not cover an address it falls back to debug transport.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>

#include <systemc>
#include <tlm>

#include "sw/phys_memory.h"

namespace vmsim {

class TlmPhysMemory : public sc_core::sc_module, public PhysMemory {
 public:
  tlm_utils::simple_initiator_socket<TlmPhysMemory> socket;

  TlmPhysMemory(sc_core::sc_module_name name, uint64_t size_bytes);

  uint64_t size_bytes() const override { return size_; }
  bool read(PhysAddr pa, void* dst, size_t len) override;
  bool write(PhysAddr pa, const void* src, size_t len) override;
  void zero_page(Ppn ppn) override;  // through DMI: the host page is given back

 private:
  bool dmi_covers(uint64_t addr, size_t len);
  bool debug(tlm::tlm_command cmd, uint64_t addr, void* data, size_t len);
  void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);

  uint64_t size_;
  bool dmi_checked_ = false;
  tlm::tlm_dmi dmi_;
  bool dmi_valid_ = false;
};

}  // namespace vmsim
