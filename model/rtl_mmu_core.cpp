#include "model/rtl_mmu_core.h"

#include <stdexcept>

#include "Vmmu_top.h"
#include "verilated.h"
#ifdef VMSIM_TRACE
#include "verilated_fst_c.h"
#endif

namespace vmsim {

struct RtlMmuCore::Model {
  VerilatedContext ctx;
  std::unique_ptr<Vmmu_top> top;
#ifdef VMSIM_TRACE
  std::unique_ptr<VerilatedFstC> fst;
#endif
  Model() {
    ctx.fatalOnError(false);  // assertion failures are reported, not aborted on
    top = std::make_unique<Vmmu_top>(&ctx, "mmu_top");
  }
};

unsigned RtlMmuCore::tlb_entries() { return VMSIM_TLB_ENTRIES; }

bool RtlMmuCore::tracing_supported() {
#ifdef VMSIM_TRACE
  return true;
#else
  return false;
#endif
}

RtlMmuCore::RtlMmuCore(WalkerMemory& mem, const std::string& trace_path)
    : mem_(mem), m_(std::make_unique<Model>()) {
  auto& t = *m_->top;
  if (!trace_path.empty()) {
#ifdef VMSIM_TRACE
    m_->ctx.traceEverOn(true);
    m_->fst = std::make_unique<VerilatedFstC>();
    t.trace(m_->fst.get(), 99);
    m_->fst->open(trace_path.c_str());
#else
    throw std::runtime_error("waveforms need the tracing build (cmake -DVMSIM_TRACE=ON)");
#endif
  }
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

RtlMmuCore::~RtlMmuCore() {
#ifdef VMSIM_TRACE
  if (m_->fst) m_->fst->close();
#endif
  m_->top->final();
}

void RtlMmuCore::tick() {
  auto& t = *m_->top;
  t.clk_i = 1;
  t.eval();
  // A request is taken at the edge; like a requester's flop, drop it right
  // after, so the low phase does not evaluate the lookup again.
  t.req_valid_i = 0;
#ifdef VMSIM_TRACE
  if (m_->fst) m_->fst->dump(cycles_ * 2 + 1);
#endif
  t.clk_i = 0;
  t.eval();
#ifdef VMSIM_TRACE
  if (m_->fst) m_->fst->dump(cycles_ * 2 + 2);
#endif
  ++cycles_;
  m_->ctx.timeInc(2);
}

void RtlMmuCore::serve_walker(uint64_t call_start) {
  auto& t = *m_->top;
  const WalkerRequest req{PhysAddr{t.mem_req_addr_o}, bool(t.mem_req_we_o), t.mem_req_wdata_o};
  tick();  // the walker sees ready and moves to its wait state
  const WalkerResponse rsp = mem_.access(req, cycles_ - call_start);
  req.write ? ++stats_.pte_writes : ++stats_.pte_reads;
  cycles_ += rsp.latency_cycles;
  t.mem_rsp_valid_i = 1;
  t.mem_rsp_error_i = !rsp.ok;
  t.mem_rsp_rdata_i = rsp.rdata;
  tick();
  t.mem_rsp_valid_i = 0;
  t.mem_rsp_error_i = 0;
}

Translation RtlMmuCore::translate(VirtAddr va, Access access, Priv priv) {
  auto& t = *m_->top;
  const uint64_t start = cycles_;
  t.req_valid_i = 1;
  t.req_vaddr_i = va.value();
  t.req_access_i = uint8_t(access);
  t.req_priv_s_i = priv == Priv::kSupervisor;
  tick();  // accepted (the MMU is always ready between calls); tick() drops req_valid_i
  while (!t.resp_valid_o) {
    if (t.mem_req_valid_o) serve_walker(start);
    else tick();
  }
  Translation r;
  r.fault = t.resp_fault_o;
  r.cause = r.fault ? Cause(t.resp_cause_o) : Cause::kNone;
  r.pa = r.fault ? PhysAddr{} : PhysAddr{t.resp_paddr_o};
  r.tlb_hit = t.resp_tlb_hit_o;
  ++stats_.translations;
  if (r.tlb_hit) {
    ++stats_.tlb_hits;
  } else if (cycles_ - start > 1) {
    ++stats_.walks;
    stats_.walk_cycles += cycles_ - start;
  }
  return r;
}

void RtlMmuCore::write_satp(uint64_t satp) {
  auto& t = *m_->top;
  t.satp_we_i = 1;
  t.satp_i = satp;
  tick();
  t.satp_we_i = 0;
  ++stats_.satp_writes;
}

void RtlMmuCore::set_control(const TranslationControl& ctl) {
  auto& t = *m_->top;
  t.sum_i = ctl.sum;
  t.mxr_i = ctl.mxr;
  t.adue_i = ctl.svadu;
  t.eval();
}

void RtlMmuCore::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  auto& t = *m_->top;
  t.flush_i = 1;
  t.flush_vaddr_valid_i = va.has_value();
  t.flush_vaddr_i = va ? va->value() : 0;
  t.flush_asid_valid_i = asid.has_value();
  t.flush_asid_i = asid ? uint16_t(asid->value()) : 0;
  tick();
  t.flush_i = 0;
  ++stats_.sfences;
}

}  // namespace vmsim
