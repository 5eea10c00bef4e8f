#include "model/rtl_mmu_core.h"

#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "Vmmu_top.h"
#include "Vmmu_top32.h"
#include "Vmmu_top_mmu_top.h"
#include "verilated.h"
#ifdef VMSIM_TRACE
#include "verilated_fst_c.h"
#endif

namespace vmsim {

// The MmuPort calls, implemented per Verilated model, plus the counters.
class RtlMmuCore::Driver : public MmuPort {
 public:
  uint64_t cycles() const override { return cycles_; }
  uint64_t cycles_ = 0;
  RtlMmuStats stats;
};

namespace {

// Drives one Verilated mmu_top. V is Vmmu_top or Vmmu_top32: the same ports,
// built with a different Xlen parameter.
template <typename V>
class VerilatedDriver final : public RtlMmuCore::Driver {
 public:
  VerilatedDriver(WalkerMemory& mem, unsigned pte_bytes, const std::string& trace_path)
      : mem_(mem), pte_bytes_(pte_bytes) {
    ctx_.fatalOnError(false);  // assertion failures are reported, not aborted on
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
    t.eval();
    tick();
    tick();
    t.rst_ni = 1;
    t.eval();
  }

  ~VerilatedDriver() override {
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

  Translation translate(VirtAddr va, Access access, Priv priv) override {
    V& t = *top_;
    const uint64_t start = cycles_;
    t.req_valid_i = 1;
    t.req_vaddr_i = va.value();
    t.req_access_i = uint8_t(access);
    t.req_priv_s_i = priv == Priv::kSupervisor;
    tick();  // accepted (the MMU is always ready between calls); tick() drops req_valid_i
    while (!t.resp_valid_o) {
      if (t.mem_req_valid_o)
        serve_walker(start);
      else
        tick();
    }
    Translation r;
    r.fault = t.resp_fault_o;
    r.cause = r.fault ? Cause(t.resp_cause_o) : Cause::kNone;
    r.pa = r.fault ? PhysAddr{} : PhysAddr{t.resp_paddr_o};
    r.tlb_hit = t.resp_tlb_hit_o;
    ++stats.translations;
    if (r.tlb_hit) {
      ++stats.tlb_hits;
    } else if (cycles_ - start > 1) {
      ++stats.walks;
      stats.walk_cycles += cycles_ - start;
    }
    return r;
  }

  void write_satp(uint64_t satp) override {
    V& t = *top_;
    t.satp_we_i = 1;
    t.satp_i = satp;
    tick();
    t.satp_we_i = 0;
    ++stats.satp_writes;
  }

  void set_control(const TranslationControl& ctl) override {
    V& t = *top_;
    t.sum_i = ctl.sum;
    t.mxr_i = ctl.mxr;
    t.adue_i = ctl.svadu;
    t.eval();
  }

  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override {
    V& t = *top_;
    t.flush_i = 1;
    t.flush_vaddr_valid_i = va.has_value();
    t.flush_vaddr_i = va ? va->value() : 0;
    t.flush_asid_valid_i = asid.has_value();
    t.flush_asid_i = asid ? uint16_t(asid->value()) : 0;
    tick();
    t.flush_i = 0;
    ++stats.sfences;
  }

 private:
  void tick() {
    V& t = *top_;
    t.clk_i = 1;
    t.eval();
    // A request is taken at the edge; like a requester's flop, drop it right
    // after, so the low phase does not evaluate the lookup again.
    t.req_valid_i = 0;
#ifdef VMSIM_TRACE
    if (fst_) fst_->dump(cycles_ * 2 + 1);
#endif
    t.clk_i = 0;
    t.eval();
#ifdef VMSIM_TRACE
    if (fst_) fst_->dump(cycles_ * 2 + 2);
#endif
    ++cycles_;
    ctx_.timeInc(2);
  }

  // One PTE access: the walker holds its request until the edge that accepts
  // it, then waits for the response, which comes after the memory's latency.
  void serve_walker(uint64_t call_start) {
    V& t = *top_;
    const WalkerRequest req{PhysAddr{t.mem_req_addr_o}, bool(t.mem_req_we_o), t.mem_req_wdata_o, pte_bytes_};
    tick();
    const WalkerResponse rsp = mem_.access(req, cycles_ - call_start);
    req.write ? ++stats.pte_writes : ++stats.pte_reads;
    cycles_ += rsp.latency_cycles;
    t.mem_rsp_valid_i = 1;
    t.mem_rsp_error_i = !rsp.ok;
    t.mem_rsp_rdata_i = rsp.rdata;
    tick();
    t.mem_rsp_valid_i = 0;
    t.mem_rsp_error_i = 0;
  }

  WalkerMemory& mem_;
  unsigned pte_bytes_;
  VerilatedContext ctx_;
  std::unique_ptr<V> top_;
#ifdef VMSIM_TRACE
  std::unique_ptr<VerilatedFstC> fst_;
#endif
};

}  // namespace

// Read from the model itself: the Entries parameter it was Verilated with
// (hw_contract.cpp checks that the RV32 build has the same).
unsigned RtlMmuCore::tlb_entries() {
  return Vmmu_top_mmu_top::Entries;
}

bool RtlMmuCore::tracing_supported() {
#ifdef VMSIM_TRACE
  return true;
#else
  return false;
#endif
}

RtlMmuCore::RtlMmuCore(WalkerMemory& mem, unsigned xlen, const std::string& trace_path) : xlen_(xlen) {
  if (xlen == 64)
    d_ = std::make_unique<VerilatedDriver<Vmmu_top>>(mem, 8, trace_path);
  else if (xlen == 32)
    d_ = std::make_unique<VerilatedDriver<Vmmu_top32>>(mem, 4, trace_path);
  else
    throw std::invalid_argument("RtlMmuCore: xlen must be 32 or 64");
}

RtlMmuCore::~RtlMmuCore() = default;

Translation RtlMmuCore::translate(VirtAddr va, Access access, Priv priv) {
  return d_->translate(va, access, priv);
}
void RtlMmuCore::write_satp(uint64_t satp) {
  d_->write_satp(satp);
}
void RtlMmuCore::set_control(const TranslationControl& ctl) {
  d_->set_control(ctl);
}
void RtlMmuCore::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  d_->sfence(va, asid);
}
uint64_t RtlMmuCore::cycles() const {
  return d_->cycles();
}
const RtlMmuStats& RtlMmuCore::stats() const {
  return d_->stats;
}

}  // namespace vmsim
