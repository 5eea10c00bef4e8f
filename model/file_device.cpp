#include "model/file_device.h"

#include "model/page_transfer.h"

namespace vmsim {

namespace {
constexpr unsigned kFileShift = 40;  // address bits of one file
}

FileDevice::FileDevice(sc_core::sc_module_name name, sc_core::sc_time page_latency)
    : sc_module(name), socket("socket"), latency_(page_latency) {
  socket.register_b_transport(this, &FileDevice::b_transport);
}

void FileDevice::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  delay += latency_;
  const uint64_t addr = trans.get_address();
  const FileId file{addr >> kFileShift};
  const uint64_t offset = addr & ((uint64_t{1} << kFileShift) - 1);
  if (trans.get_data_length() != kPageSize || offset % kPageSize || !store_.exists(file)) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  uint64_t ignored = 0;
  const uint64_t index = offset / kPageSize;
  const bool ok = trans.is_write() ? store_.write_page(file, index, trans.get_data_ptr(), ignored)
                                   : store_.read_page(file, index, trans.get_data_ptr(), ignored);
  trans.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE);
}

TlmFileBackend::TlmFileBackend(sc_core::sc_module_name name, FileStore& catalogue,
                               sc_core::sc_time clock_period)
    : sc_module(name), socket("socket"), catalogue_(catalogue), period_(clock_period) {}

bool TlmFileBackend::transfer(tlm::tlm_command cmd, FileId f, uint64_t index, uint8_t* page,
                              uint64_t& latency_cycles) {
  latency_cycles = 0;
  if (f.value() >= (uint64_t{1} << (64 - kFileShift)) || index >= (uint64_t{1} << (kFileShift - kPageShift)))
    return false;
  return transfer_page(socket, cmd, f.value() << kFileShift | index * kPageSize, page, period_,
                       latency_cycles);
}

bool TlmFileBackend::read_page(FileId f, uint64_t index, uint8_t* page, uint64_t& latency_cycles) {
  return transfer(tlm::TLM_READ_COMMAND, f, index, page, latency_cycles);
}

bool TlmFileBackend::write_page(FileId f, uint64_t index, const uint8_t* page, uint64_t& latency_cycles) {
  return transfer(tlm::TLM_WRITE_COMMAND, f, index, const_cast<uint8_t*>(page), latency_cycles);
}

}  // namespace vmsim
