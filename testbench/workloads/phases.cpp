#include "testbench/workloads/phases.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmsim {

Phases::Phases(const PhaseOptions& o, MmuProbe* probe, std::function<uint64_t()> page_faults)
    : o_(o), probe_(probe), page_faults_(std::move(page_faults)) {
  if (!probe_) return;  // no harness to ask: no phases
  if (o_.warmup > 0) {
    next_ = o_.warmup;
  } else {
    warm_ = true;
    at_start_ = totals();
    next_ = o_.interval ? o_.interval : UINT64_MAX;
  }
}

Phases::Totals Phases::totals() const {
  return {probe_->now(), page_faults_()};
}

void Phases::mark(uint64_t i) {
  if (!warm_) {
    probe_->end_warmup();
    warm_ = true;
    start_ = i;
    at_start_ = totals();
  } else {
    close_interval(i);
  }
  next_ = o_.interval ? i + o_.interval : UINT64_MAX;
}

void Phases::close_interval(uint64_t end) {
  const Totals now = totals();
  const MmuCounters &a = at_start_.mmu, &b = now.mmu;
  const uint64_t translations = b.translations - a.translations;
  const uint64_t misses = translations - (b.tlb_hits - a.tlb_hits);
  rows_.push_back({{"first", start_},
                   {"references", end - start_},
                   {"translations", translations},
                   {"tlb_misses", misses},
                   {"misses_per_1k", translations ? 1000.0 * double(misses) / double(translations) : 0.0},
                   {"l2_hits", b.l2_hits - a.l2_hits},
                   {"walks", b.walks - a.walks},
                   {"walk_cycles", b.walk_cycles - a.walk_cycles},
                   {"cycles", b.cycles - a.cycles},
                   {"page_faults", now.page_faults - at_start_.page_faults}});
  start_ = end;
  at_start_ = now;
}

void Phases::finish(uint64_t references) {
  if (probe_ && warm_ && o_.interval && references > start_) close_interval(references);
}

void Phases::report(WorkloadResult& res) const {
  if (o_.warmup) {
    res.figures["trace.warmup_references"] = o_.warmup;
    res.lines.push_back(fmt::format(
        "  warm-up            the first {} references: the TLB and walk figures above count what came after",
        o_.warmup));
  }
  if (!o_.interval) return;
  res.figures["intervals.references"] = o_.interval;
  res.figures["intervals"] = rows_;
  double lo = 0, hi = 0;
  for (size_t i = 0; i < rows_.size(); ++i) {
    const double m = rows_[i]["misses_per_1k"].get<double>();
    lo = i ? std::min(lo, m) : m;
    hi = i ? std::max(hi, m) : m;
  }
  res.lines.push_back(fmt::format(
      "  intervals          {} of {} references: TLB misses per 1,000 from {:.1f} to {:.1f} (the JSON's "
      "\"intervals\")",
      rows_.size(), o_.interval, lo, hi));
}

}  // namespace vmsim
