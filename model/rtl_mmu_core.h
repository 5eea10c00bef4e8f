// rtl_mmu_core.h: drives the Verilated mmu_top pin by pin.
//
// This is the only place that includes the Verilator model (in the .cpp), so
// nothing above model/ depends on Verilator headers. It turns one MmuPort call
// into clock cycles: raise the request, tick until the response, and serve
// each walker memory request through a WalkerMemory, which is where the
// SystemC wrapper (b_transport) and the plain harness (host array) differ.
//
// Timing: one tick is one clock cycle. While a PTE access is outstanding the
// model's inputs and state cannot change, so the core adds the memory's
// latency to the cycle count instead of evaluating idle cycles.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sw/mmu_port.h"

namespace vmsim {

struct WalkerRequest {
  PhysAddr addr;
  bool write = false;
  uint64_t wdata = 0;
  unsigned bytes = 8;  // PTE size: 8, or 4 in the RV32 (Sv32) build
};

struct WalkerResponse {
  bool ok = false;
  uint64_t rdata = 0;
  uint64_t latency_cycles = 0;
};

class WalkerMemory {
 public:
  virtual ~WalkerMemory() = default;
  // elapsed_cycles: cycles since the current MmuPort call began.
  virtual WalkerResponse access(const WalkerRequest& req, uint64_t elapsed_cycles) = 0;
};

struct RtlMmuStats {
  uint64_t translations = 0;
  uint64_t tlb_hits = 0;
  uint64_t walks = 0;
  uint64_t walk_cycles = 0;  // cycles from request to response of translations that walked
  uint64_t pte_reads = 0;
  uint64_t pte_writes = 0;
  uint64_t sfences = 0;
  uint64_t satp_writes = 0;
};

class RtlMmuCore final : public MmuPort {
 public:
  // xlen 64: the RV64 model (Bare, Sv39, Sv48, Sv57); 32: the same RTL built
  // with Xlen=32 (Bare, Sv32). trace_path: FST waveform, tracing build only.
  explicit RtlMmuCore(WalkerMemory& mem, unsigned xlen = 64, const std::string& trace_path = {});
  ~RtlMmuCore() override;

  Translation translate(VirtAddr va, Access access, Priv priv) override;
  void write_satp(uint64_t satp) override;
  void set_control(const TranslationControl& ctl) override;
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override;

  uint64_t cycles() const override;
  const RtlMmuStats& stats() const;
  unsigned xlen() const { return xlen_; }
  static unsigned tlb_entries();  // the Entries parameter the model was built with
  static bool tracing_supported();

  // The pin-level driver, one instantiation per Verilated model (RV64, RV32).
  class Driver;

 private:
  unsigned xlen_;
  std::unique_ptr<Driver> d_;
};

}  // namespace vmsim
