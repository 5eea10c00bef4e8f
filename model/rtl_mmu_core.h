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
#include <stdexcept>
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

// The RTL reported an error: an assertion failed (the message names it and
// the cycle), or the MMU stopped answering. The core cannot be used after.
class RtlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Faults a test injects into the assertion build's internal state, to see
// each internal assertion fire (rtl/fault_injection.vlt makes the state
// writable). The protocol assertions need none: a test breaks the protocol.
enum class RtlFault {
  kWalkerBusyUntracked,  // the top thinks a walk is on, the walker is idle    -> WalkTracked
  kWalkerStateIllegal,   // the walker's state register holds no state        -> StateLegal
  kWalkerAlreadyBusy,    // the walker is busy when a walk starts              -> StartOnlyWhenIdle
  kRefillForgetsHit,     // a re-walk forgets which entry hit, and refills     -> RefillNotDuplicate
  kStrayMemoryResponse,  // the memory answers with no request outstanding     -> RspOnlyWhenWaiting
  kStrayResponse,        // the MMU answers with no request outstanding        -> RespOnlyAfterRequest
  kWalkerStuck,          // a walk waits for a memory response that never comes -> the driver's timeout
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
  static bool assertions_enabled();  // the assertion build (tests)
  // Breaks the RTL's internal state as `f` says; applied at the next call.
  // Throws std::logic_error in a build without assertions.
  void inject_for_test(RtlFault f);

  // The pin-level driver, one instantiation per Verilated model (RV64, RV32).
  class Driver;

 private:
  unsigned xlen_;
  std::unique_ptr<Driver> d_;
};

}  // namespace vmsim
