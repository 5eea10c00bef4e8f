#include "testbench/check/mmu_figures.h"

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
  for (size_t i = 0; i < a.walks_by_depth.size(); ++i) a.walks_by_depth[i] -= b.walks_by_depth[i];
  a.merged_misses -= b.merged_misses;
  a.busy_walker_cycles -= b.busy_walker_cycles;
  for (size_t i = 0; i < a.cycles_by_walkers_busy.size(); ++i)
    a.cycles_by_walkers_busy[i] -= b.cycles_by_walkers_busy[i];
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

void subtract_baseline(MmuFigures& from, const MmuFigures& base) {
  subtract(from.mmu, base.mmu);
  subtract(from.check, base.check);
  if (from.tlb && base.tlb) {
    subtract(from.tlb->l1.c, base.tlb->l1.c);
    subtract(from.tlb->l1i.c, base.tlb->l1i.c);
    subtract(from.tlb->l2.c, base.tlb->l2.c);
    for (size_t i = 0; i < from.tlb->pwc.size(); ++i) subtract(from.tlb->pwc[i].c, base.tlb->pwc[i].c);
  }
}

}  // namespace vmsim
