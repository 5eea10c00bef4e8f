// mmu_wrapper.h: the RTL MMU as a SystemC module.
//
// Owns the Verilated (--cc) model through RtlMmuCore and serves the page
// walker's memory requests with b_transport on `mem_socket`, annotating
// delay; simulated time is kept with a tlm_quantumkeeper (temporal
// decoupling), synchronising with the kernel only when the quantum is used up.
//
// Like b_transport, the MmuPort calls run in the caller's SC_THREAD (the guest
// CPU's): the model is stepped there, with no thread switch per translation.
// docs/architecture.md, "Time and speed", explains why: a wait() per cycle
// halves the speed.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <functional>
#include <systemc>
#include <tlm>

#include "model/rtl_mmu_core.h"

namespace vmsim {

class MmuWrapper : public sc_core::sc_module, public MmuPort, private WalkerMemory {
 public:
  tlm_utils::simple_initiator_socket<MmuWrapper> mem_socket;

  MmuWrapper(sc_core::sc_module_name name, sc_core::sc_time clock_period, const DeviceSpec& device);

  Translation translate(VirtAddr va, Access access, Priv priv) override;
  void translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) override;
  void write_satp(uint64_t satp) override;
  void set_control(const TranslationControl& ctl) override;
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override;

  uint64_t cycles() const override { return core_.cycles(); }
  const RtlMmuCore& core() const { return core_; }
  // Brings the SystemC kernel up to the local time (call at the end of a run).
  void sync() { qk_.sync(); }
  // Adds time the CPU spent elsewhere (e.g. waiting for swap) to local time.
  void charge(sc_core::sc_time t) {
    qk_.inc(t);
    maybe_sync();
  }
  // While this returns false the wrapper never yields to the SystemC kernel
  // (the caller is in the middle of something another thread must not see).
  void set_yield_guard(std::function<bool()> may_yield) { may_yield_ = std::move(may_yield); }

 private:
  WalkerResponse access(const WalkerRequest& req, uint64_t elapsed_cycles) override;
  template <typename F>
  auto timed(F&& step);
  void maybe_sync() {
    if (qk_.need_sync() && (!may_yield_ || may_yield_())) qk_.sync();
  }

  sc_core::sc_time period_;
  tlm_utils::tlm_quantumkeeper qk_;
  RtlMmuCore core_;
  tlm::tlm_generic_payload trans_;
  uint64_t data_ = 0;
  std::function<bool()> may_yield_;
};

}  // namespace vmsim
