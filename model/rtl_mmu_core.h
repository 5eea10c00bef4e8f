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
  // trace_path: FST waveform file, only in a tracing build (empty: none).
  explicit RtlMmuCore(WalkerMemory& mem, const std::string& trace_path = {});
  ~RtlMmuCore() override;

  Translation translate(VirtAddr va, Access access, Priv priv) override;
  void write_satp(uint64_t satp) override;
  void set_control(const TranslationControl& ctl) override;
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override;

  uint64_t cycles() const { return cycles_; }
  const RtlMmuStats& stats() const { return stats_; }
  static unsigned tlb_entries();  // the Entries parameter the model was built with
  static bool tracing_supported();

 private:
  struct Model;
  void tick();
  void serve_walker(uint64_t call_start);

  WalkerMemory& mem_;
  std::unique_ptr<Model> m_;
  uint64_t cycles_ = 0;
  RtlMmuStats stats_;
};

}  // namespace vmsim
