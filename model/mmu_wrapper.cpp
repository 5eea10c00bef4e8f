#include "model/mmu_wrapper.h"

namespace vmsim {

MmuWrapper::MmuWrapper(sc_core::sc_module_name name, sc_core::sc_time clock_period, const DeviceSpec& device)
    : sc_module(name), mem_socket("mem_socket"), period_(clock_period), core_(*this, device) {
  qk_.reset();
  trans_.set_data_ptr(reinterpret_cast<unsigned char*>(&data_));
  trans_.set_data_length(8);
  trans_.set_streaming_width(8);
  trans_.set_byte_enable_ptr(nullptr);
}

// Runs one MmuPort call and charges its cycles to local time.
template <typename F>
auto MmuWrapper::timed(F&& step) {
  const uint64_t before = core_.cycles();
  auto result = step();
  qk_.inc(period_ * double(core_.cycles() - before));
  maybe_sync();
  return result;
}

Translation MmuWrapper::translate(VirtAddr va, Access access, Priv priv) {
  return timed([&] { return core_.translate(va, access, priv); });
}

void MmuWrapper::translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) {
  timed([&] {
    core_.translate_batch(reqs, n, out);
    return 0;
  });
}

void MmuWrapper::write_satp(uint64_t satp) {
  timed([&] {
    core_.write_satp(satp);
    return 0;
  });
}

void MmuWrapper::set_control(const TranslationControl& ctl) {
  core_.set_control(ctl);
}

void MmuWrapper::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  timed([&] {
    core_.sfence(va, asid);
    return 0;
  });
}

WalkerResponse MmuWrapper::access(const WalkerRequest& req, uint64_t elapsed_cycles) {
  data_ = req.wdata;
  trans_.set_data_length(req.bytes);
  trans_.set_streaming_width(req.bytes);
  trans_.set_command(req.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  trans_.set_address(req.addr.value());
  trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  trans_.set_dmi_allowed(false);
  const sc_core::sc_time issued = qk_.get_local_time() + period_ * double(elapsed_cycles);
  sc_core::sc_time delay = issued;
  mem_socket->b_transport(trans_, delay);
  WalkerResponse rsp;
  rsp.ok = trans_.is_response_ok();
  rsp.rdata =
      rsp.ok && !req.write ? (req.bytes == 8 ? data_ : data_ & ((uint64_t{1} << (8 * req.bytes)) - 1)) : 0;
  rsp.latency_cycles = uint64_t((delay - issued) / period_ + 0.5);
  return rsp;
}

}  // namespace vmsim
