// warmup_probe.h: the MmuProbe the harness gives a workload (workload.h).
//
// now() reads the device's running totals. end_warmup() records every
// counter the report shows (the device's, the checker's, the reference's
// per-TLB counts); subtract_warmup() then takes that baseline off the
// report's figures, so they count only what came after. Mismatches and the
// answers legal only as cached ones are not taken off: a wrong answer
// during warm-up still fails the run.
#pragma once

#include <optional>

#include "testbench/check/mmu_figures.h"
#include "testbench/harness/run_report.h"

namespace vmsim {

class WarmupProbe final : public MmuProbe {
 public:
  WarmupProbe(const RtlMmuCore& core, const CheckedMmu& checked) : core_(core), checked_(checked) {}
  MmuCounters now() const override;
  void end_warmup() override;
  // The report's MMU figures, less the baseline (if warm-up ended).
  void subtract_warmup(RunReport& r) const;

 private:
  const RtlMmuCore& core_;
  const CheckedMmu& checked_;
  std::optional<MmuFigures> baseline_;
};

}  // namespace vmsim
