#include "model/tlm_phys_memory.h"

#include <cstring>

#include "model/sparse_store.h"

namespace vmsim {

TlmPhysMemory::TlmPhysMemory(sc_core::sc_module_name name, uint64_t size_bytes)
    : sc_module(name), socket("socket"), size_(size_bytes) {
  socket.register_invalidate_direct_mem_ptr(this, &TlmPhysMemory::invalidate_dmi);
}

void TlmPhysMemory::invalidate_dmi(sc_dt::uint64, sc_dt::uint64) {
  dmi_valid_ = false;
  dmi_checked_ = false;
}

bool TlmPhysMemory::dmi_covers(uint64_t addr, size_t len) {
  if (!dmi_checked_) {
    dmi_checked_ = true;
    tlm::tlm_generic_payload trans;
    trans.set_address(0);
    trans.set_command(tlm::TLM_READ_COMMAND);
    dmi_valid_ = socket->get_direct_mem_ptr(trans, dmi_) && dmi_.is_read_write_allowed();
  }
  return dmi_valid_ && addr >= dmi_.get_start_address() && len > 0 &&
         addr + len - 1 <= dmi_.get_end_address() && addr + len > addr;
}

bool TlmPhysMemory::debug(tlm::tlm_command cmd, uint64_t addr, void* data, size_t len) {
  tlm::tlm_generic_payload trans;
  trans.set_command(cmd);
  trans.set_address(addr);
  trans.set_data_ptr(static_cast<unsigned char*>(data));
  trans.set_data_length(unsigned(len));
  trans.set_streaming_width(unsigned(len));
  return socket->transport_dbg(trans) == len;
}

bool TlmPhysMemory::read(PhysAddr pa, void* dst, size_t len) {
  if (!contains(pa, len)) return false;
  if (dmi_covers(pa.value(), len)) {
    std::memcpy(dst, dmi_.get_dmi_ptr() + (pa.value() - dmi_.get_start_address()), len);
    return true;
  }
  return debug(tlm::TLM_READ_COMMAND, pa.value(), dst, len);
}

bool TlmPhysMemory::write(PhysAddr pa, const void* src, size_t len) {
  if (!contains(pa, len)) return false;
  if (dmi_covers(pa.value(), len)) {
    std::memcpy(dmi_.get_dmi_ptr() + (pa.value() - dmi_.get_start_address()), src, len);
    return true;
  }
  return debug(tlm::TLM_WRITE_COMMAND, pa.value(), const_cast<void*>(src), len);
}

void TlmPhysMemory::zero_page(Ppn ppn) {
  const uint64_t addr = base_of(ppn).value();
  if (contains(base_of(ppn), kPageSize) && dmi_covers(addr, kPageSize)) {
    zero_host_bytes(dmi_.get_dmi_ptr() + (addr - dmi_.get_start_address()), kPageSize);
    return;
  }
  PhysMemory::zero_page(ppn);
}

}  // namespace vmsim
