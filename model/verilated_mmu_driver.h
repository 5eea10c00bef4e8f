// verilated_mmu_driver.h: drives one Verilated mmu_top, pin by pin. Included
// only by rtl_mmu_core.cpp, the one file that sees the Verilated model.
//
// Timing, as a real testbench drives a flop-based design: inputs change
// after a clock edge and are evaluated with the clock low (settle), so the
// next rising edge samples them, and assertions see them. (Verilator samples
// an assertion's inputs at the start of an evaluation, but its combinational
// signals from the evaluation before.) Only the assertion build needs that
// separate evaluation: without assertions, the edge's own evaluation runs
// the input-driven logic first, so results and cycle counts are identical,
// and the fast build skips it (it would cost a second TLB lookup per
// request, about 40% of the speed). One tick is one clock cycle. While a PTE access is outstanding the
// model's inputs and state cannot change, so the memory's latency is added to the cycle count instead of
// evaluating idle cycles.
//
// After every evaluation the driver asks the model whether an assertion
// failed; if one did it throws RtlError with the assertion's message (which
// names it) and the cycle. A request that gets no answer within kMaxTicks
// evaluated cycles also throws: the device is hung.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "model/rtl_messages.h"
#include "model/rtl_mmu_core.h"
#include "verilated.h"
#ifdef VMSIM_TRACE
#include "verilated_fst_c.h"
#endif

namespace vmsim {

// The MmuPort calls, implemented per Verilated model, plus the counters.
class RtlMmuCore::Driver : public MmuPort {
 public:
  uint64_t cycles() const override { return cycles_; }
  virtual void inject(RtlFault f) = 0;
  uint64_t cycles_ = 0;
  RtlMmuStats stats;
};

// V is Vmmu_top or Vmmu_top32: the same ports, another Xlen parameter.
template <typename V>
class VerilatedMmuDriver final : public RtlMmuCore::Driver {
 public:
  static constexpr uint64_t kMaxTicks = 100'000;  // per request: far beyond any walk

  VerilatedMmuDriver(WalkerMemory& mem, unsigned pte_bytes, const std::string& trace_path);
  ~VerilatedMmuDriver() override;

  Translation translate(VirtAddr va, Access access, Priv priv) override;
  void write_satp(uint64_t satp) override;
  void set_control(const TranslationControl& ctl) override;
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override;
  void inject(RtlFault f) override;

 private:
  // The request being served, for the report of a hung device.
  struct Call {
    VirtAddr va;
    Access access;
    Priv priv;
    uint64_t start;
    uint64_t ticks = 0;
    std::optional<WalkerRequest> last_walker_access;  // formatted only if the MMU hangs
    uint64_t last_walker_cycle = 0;
  };

  void settle();  // inputs changed, clock low: what the next edge samples
  void tick();    // one clock cycle
  void check();   // throws RtlError when an assertion failed
  void serve_walker(Call& call);
  void apply_injection_at_start();
  [[noreturn]] void hung(const Call& call);

  WalkerMemory& mem_;
  unsigned pte_bytes_;
  VerilatedContext ctx_;
  std::unique_ptr<V> top_;
  std::optional<RtlFault> pending_fault_;
#ifdef VMSIM_TRACE
  std::unique_ptr<VerilatedFstC> fst_;
#endif
};

// ============================================================================

template <typename V>
VerilatedMmuDriver<V>::VerilatedMmuDriver(WalkerMemory& mem, unsigned pte_bytes,
                                          const std::string& trace_path)
    : mem_(mem), pte_bytes_(pte_bytes) {
  ctx_.fatalOnError(false);  // an assertion failure is reported by check(), not by abort()
  top_ = std::make_unique<V>(&ctx_, "mmu_top");
  if (!trace_path.empty()) {
#ifdef VMSIM_TRACE
    ctx_.traceEverOn(true);
    fst_ = std::make_unique<VerilatedFstC>();
    top_->trace(fst_.get(), 99);
    fst_->open(trace_path.c_str());
#else
    throw std::runtime_error("waveforms need the tracing build (cmake -DVMSIM_TRACE=ON)");
#endif
  }
  V& t = *top_;
  t.clk_i = 0;
  t.rst_ni = 0;
  t.req_valid_i = 0;
  t.satp_we_i = 0;
  t.flush_i = 0;
  t.mem_req_ready_i = 1;
  t.mem_rsp_valid_i = 0;
  settle();
  tick();
  tick();
  t.rst_ni = 1;
  settle();
}

template <typename V>
VerilatedMmuDriver<V>::~VerilatedMmuDriver() {
#ifdef VMSIM_TRACE
  if (fst_) fst_->close();
#endif
  top_->final();
#ifdef VMSIM_COVERAGE
  // One file per model instance, collected by `make coverage`.
  static int instance = 0;
  const char* dir = std::getenv("VMSIM_COVERAGE_DIR");
  const std::string path = std::string(dir ? dir : ".") + "/rtl_" + std::to_string(getpid()) + "_" +
                           std::to_string(instance++) + ".dat";
  ctx_.coveragep()->write(path.c_str());
#endif
}

template <typename V>
void VerilatedMmuDriver<V>::check() {
  if (!ctx_.gotError()) return;
  std::string what = take_rtl_messages();
  while (!what.empty() && what.back() == '\n') what.pop_back();
  throw RtlError(fmt::format("RTL assertion failed at cycle {}: {}", cycles_, what));
}

template <typename V>
void VerilatedMmuDriver<V>::settle() {
#ifdef VMSIM_ASSERT
  top_->eval();
  check();
#endif
}

template <typename V>
void VerilatedMmuDriver<V>::tick() {
  V& t = *top_;
  t.clk_i = 1;
  t.eval();
  check();
  // A request is taken at the edge; like a requester's flop, drop it after
  // the edge, so the low phase does not evaluate the lookup again.
  t.req_valid_i = 0;
#ifdef VMSIM_TRACE
  if (fst_) fst_->dump(cycles_ * 2 + 1);
#endif
  t.clk_i = 0;
  t.eval();
  check();
#ifdef VMSIM_TRACE
  if (fst_) fst_->dump(cycles_ * 2 + 2);
#endif
  ++cycles_;
  ctx_.timeInc(2);
}

template <typename V>
Translation VerilatedMmuDriver<V>::translate(VirtAddr va, Access access, Priv priv) {
  V& t = *top_;
  Call call{va, access, priv, cycles_};
  t.req_valid_i = 1;
  t.req_vaddr_i = va.value();
  t.req_access_i = uint8_t(access);
  t.req_priv_s_i = priv == Priv::kSupervisor;
  settle();
  tick();  // accepted: the MMU is always ready between calls
  apply_injection_at_start();
  while (!t.resp_valid_o) {
    if (++call.ticks > kMaxTicks) hung(call);
    if (t.mem_req_valid_o) {
      serve_walker(call);
    } else {
      tick();
    }
  }
  Translation r;
  r.fault = t.resp_fault_o;
  r.cause = r.fault ? Cause(t.resp_cause_o) : Cause::kNone;
  r.pa = r.fault ? PhysAddr{} : PhysAddr{t.resp_paddr_o};
  r.tlb_hit = t.resp_tlb_hit_o;
  ++stats.translations;
  if (r.tlb_hit) {
    ++stats.tlb_hits;
  } else if (cycles_ - call.start > 1) {
    ++stats.walks;
    stats.walk_cycles += cycles_ - call.start;
  }
  return r;
}

// One PTE access: the walker holds its request until the edge that accepts
// it, then waits for the response, which comes after the memory's latency.
template <typename V>
void VerilatedMmuDriver<V>::serve_walker(Call& call) {
  V& t = *top_;
  const WalkerRequest req{PhysAddr{t.mem_req_addr_o}, bool(t.mem_req_we_o), t.mem_req_wdata_o, pte_bytes_};
  call.last_walker_access = req;
  call.last_walker_cycle = cycles_;
  tick();
  const WalkerResponse rsp = mem_.access(req, cycles_ - call.start);
  req.write ? ++stats.pte_writes : ++stats.pte_reads;
  cycles_ += rsp.latency_cycles;
  t.mem_rsp_valid_i = 1;
  t.mem_rsp_error_i = !rsp.ok;
  t.mem_rsp_rdata_i = rsp.rdata;
  settle();
  tick();
  t.mem_rsp_valid_i = 0;
  t.mem_rsp_error_i = 0;
}

template <typename V>
void VerilatedMmuDriver<V>::hung(const Call& call) {
  const auto& w = call.last_walker_access;
  const std::string last = w ? fmt::format("{} of 0x{:x} at cycle {}", w->write ? "write" : "read",
                                           w->addr.value(), call.last_walker_cycle)
                             : std::string("none");
  throw RtlError(fmt::format(
      "the MMU did not answer within {} cycles: request va 0x{:x} {} {}, made at cycle {}; now cycle {}; the "
      "walker's last memory access: {}",
      kMaxTicks, call.va.value(), to_string(call.access), to_string(call.priv), call.start, cycles_, last));
}

template <typename V>
void VerilatedMmuDriver<V>::write_satp(uint64_t satp) {
  V& t = *top_;
  t.satp_we_i = 1;
  t.satp_i = satp;
  settle();
  tick();
  t.satp_we_i = 0;
  ++stats.satp_writes;
}

template <typename V>
void VerilatedMmuDriver<V>::set_control(const TranslationControl& ctl) {
  V& t = *top_;
  t.sum_i = ctl.sum;
  t.mxr_i = ctl.mxr;
  t.adue_i = ctl.svadu;
  settle();
}

template <typename V>
void VerilatedMmuDriver<V>::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  V& t = *top_;
  t.flush_i = 1;
  t.flush_vaddr_valid_i = va.has_value();
  t.flush_vaddr_i = va ? va->value() : 0;
  t.flush_asid_valid_i = asid.has_value();
  t.flush_asid_i = asid ? uint16_t(asid->value()) : 0;
  settle();
  tick();
  t.flush_i = 0;
  ++stats.sfences;
}

// ============================================================================
// Fault injection (the assertion build only)
// ============================================================================

template <typename V>
void VerilatedMmuDriver<V>::inject(RtlFault f) {
#ifdef VMSIM_ASSERT
  auto& m = *top_->rootp->mmu_top;
  tick();  // a quiet cycle first: the last response is no longer on the port
  switch (f) {
    case RtlFault::kWalkerBusyUntracked:
      m.walking_q = 1;  // seen at the next edge
      break;
    case RtlFault::kWalkerStateIllegal:
      m.u_ptw__DOT__state_q = 7;
      break;
    case RtlFault::kWalkerAlreadyBusy:
      m.u_ptw__DOT__state_q = 1;  // READ_REQ, while the top believes it idle
      break;
    case RtlFault::kStrayResponse:
      m.resp_valid_q = 1;
      break;
    case RtlFault::kWalkerStuck:
      m.walking_q = 1;
      m.u_ptw__DOT__state_q = 2;  // READ_WAIT, with no request out
      break;
    case RtlFault::kStrayMemoryResponse:
      top_->mem_rsp_valid_i = 1;
      settle();
      tick();
      top_->mem_rsp_valid_i = 0;
      return;
    case RtlFault::kRefillForgetsHit:
      pending_fault_ = f;  // applied once the next walk has started
      return;
  }
  settle();
#else
  (void)f;
  throw std::logic_error("fault injection needs the assertion build of the RTL");
#endif
}

template <typename V>
void VerilatedMmuDriver<V>::apply_injection_at_start() {
#ifdef VMSIM_ASSERT
  if (pending_fault_ == RtlFault::kRefillForgetsHit && top_->rootp->mmu_top->walking_q) {
    top_->rootp->mmu_top->walk_hit_q = 0;
    pending_fault_.reset();
  }
#endif
}

}  // namespace vmsim
