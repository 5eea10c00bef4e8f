// mmu_port.h: the runtime's view of the MMU hardware.
//
// Implemented by the RTL wrappers in model/ (SystemC co-simulation, or the
// same RTL stepped from plain C++) and decorated by the checker in
// testbench/. Calls are blocking: translate() returns when the MMU answered.
//
// "translate" means this one thing in vmsim: the MMU's answer to one request.
// The kernel's loop around it is AccessPath::trap_and_retry, the reference
// model's prediction is ReferenceMmu::expect, and the walker's is a walk.
#pragma once

#include <optional>

#include "sw/types.h"

namespace vmsim {

// CSR state that shapes translation besides satp (sstatus.SUM/MXR, menvcfg.ADUE).
struct TranslationControl {
  bool sum = false;
  bool mxr = false;
  bool svadu = false;  // hardware updates A/D; otherwise missing A/D faults (Svade)
};

// One translation asked in a batch.
struct TranslationRequest {
  VirtAddr va;
  Access access = Access::kLoad;
  Priv priv = Priv::kUser;
};

class MmuPort {
 public:
  virtual ~MmuPort() = default;
  virtual Translation translate(VirtAddr va, Access access, Priv priv) = 0;
  // Translates n requests, out[i] answering reqs[i]. A device with a window
  // of several outstanding translations (DriverOptions::window) keeps that
  // many in flight, so later requests may hit under an earlier miss or merge
  // with it; nothing else may change memory or the MMU meanwhile. By default
  // one at a time, as translate() would.
  virtual void translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) {
    for (size_t i = 0; i < n; ++i) out[i] = translate(reqs[i].va, reqs[i].access, reqs[i].priv);
  }
  virtual void write_satp(uint64_t satp) = 0;
  virtual void set_control(const TranslationControl& ctl) = 0;
  // sfence.vma: no address and no ASID flushes everything.
  virtual void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) = 0;
  // Clock cycles the MMU has run so far (what the runtime charges faults with).
  virtual uint64_t cycles() const = 0;
};

}  // namespace vmsim
