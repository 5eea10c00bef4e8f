#include "testbench/harness/warmup_probe.h"

namespace vmsim {

MmuCounters WarmupProbe::now() const {
  const RtlMmuStats& s = core_.stats();
  return {s.translations, s.tlb_hits, s.l2_hits, s.walks, s.walk_cycles, core_.cycles()};
}

void WarmupProbe::end_warmup() {
  MmuFigures b{core_.stats(), checked_.stats(), std::nullopt};
  if (const TlbCounts* c = checked_.tlb_counts()) b.tlb = *c;
  baseline_ = b;
}

void WarmupProbe::subtract_warmup(RunReport& r) const {
  if (!baseline_) return;
  MmuFigures f{r.mmu, r.check, r.tlb_counts};
  subtract_baseline(f, *baseline_);
  r.mmu = f.mmu;
  r.check = f.check;
  r.tlb_counts = f.tlb;
}

}  // namespace vmsim
