#include "testbench/harness/warmup_probe.h"

namespace vmsim {

namespace {

void subtract(RtlMmuStats& a, const RtlMmuStats& b) {
  a.translations -= b.translations;
  a.tlb_hits -= b.tlb_hits;
  a.l2_hits -= b.l2_hits;
  a.walks -= b.walks;
  a.walk_cycles -= b.walk_cycles;
  a.pte_reads -= b.pte_reads;
  a.pte_writes -= b.pte_writes;
  a.sfences -= b.sfences;
  a.satp_writes -= b.satp_writes;
  a.mem_stall_cycles -= b.mem_stall_cycles;
  for (size_t i = 0; i < a.walk_latency.size(); ++i) a.walk_latency[i] -= b.walk_latency[i];
}

void subtract(CheckStats& a, const CheckStats& b) {
  a.translations -= b.translations;
  for (size_t i = 0; i < a.walks_by_leaf_level.size(); ++i)
    a.walks_by_leaf_level[i] -= b.walks_by_leaf_level[i];
  a.walk_faults -= b.walk_faults;
  for (size_t i = 0; i < a.by_access.size(); ++i) {
    a.by_access[i] -= b.by_access[i];
    a.hits_by_access[i] -= b.hits_by_access[i];
  }
}

void subtract(TlbLevelCounts& a, const TlbLevelCounts& b) {
  a.accesses -= b.accesses;
  a.hits -= b.hits;
  a.evictions -= b.evictions;
}

}  // namespace

MmuCounters WarmupProbe::now() const {
  const RtlMmuStats& s = core_.stats();
  return {s.translations, s.tlb_hits, s.l2_hits, s.walks, s.walk_cycles, core_.cycles()};
}

void WarmupProbe::end_warmup() {
  Baseline b{core_.stats(), checked_.stats(), std::nullopt};
  if (const TlbCounts* c = checked_.tlb_counts()) b.tlb = *c;
  baseline_ = b;
}

void WarmupProbe::subtract_warmup(RunReport& r) const {
  if (!baseline_) return;
  subtract(r.mmu, baseline_->mmu);
  subtract(r.check, baseline_->check);
  if (r.tlb_counts && baseline_->tlb) {
    subtract(r.tlb_counts->l1.c, baseline_->tlb->l1.c);
    subtract(r.tlb_counts->l1i.c, baseline_->tlb->l1i.c);
    subtract(r.tlb_counts->l2.c, baseline_->tlb->l2.c);
  }
}

}  // namespace vmsim
