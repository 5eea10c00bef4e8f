#include "testbench/harness/random_run.h"

#include <algorithm>
#include <stdexcept>

#include "testbench/check/case_recorder.h"
#include "testbench/check/random_page_tables.h"
#include "testbench/harness/plain_machine.h"

namespace vmsim {

RandomRunResult run_random(const RandomRunConfig& cfg) {
  const unsigned xlen = xlen_of(cfg.mode);
  PlainMachineConfig mc{kRandomRunMemMiB << 20, 1, xlen, {}, cfg.device, cfg.driver};
  PlainMachine m(mc);
  TranslationCoverage cov;
  m.mmu.collect_coverage(&cov);
  CaseRecorder recorder(m.mem, m.mmu, xlen);
  RandomTableConfig tc;
  tc.mode = cfg.mode;
  tc.features = m.core.features();
  if (!tc.features.implements(cfg.mode)) {
    throw UnsupportedMode(m.core.info().name + " implements " + tc.features.to_string() + ", not " +
                          std::string(to_string(cfg.mode)));
  }
  RandomPageTables tables(recorder.memory(), tc, cfg.seed);
  recorder.start_requests();
  RandomRunResult r;
  r.translations = tables.drive(recorder.port(), cfg.translations, cfg.driver.window);
  r.tlb_hits = m.core.stats().tlb_hits;
  r.l2_hits = m.core.stats().l2_hits;
  r.has_l2 = m.core.info().tlb.l2.has_value();
  r.cycles = m.core.cycles();
  r.mismatches = m.mmu.stats().mismatches;
  r.cached_answers = m.mmu.stats().cached_answers;
  r.first_mismatch = m.mmu.first_mismatch();
  for (const auto& [name, c] : m.mmu.mismatch_classes())
    r.mismatch_classes.push_back({name, c.count, c.first});
  std::stable_sort(r.mismatch_classes.begin(), r.mismatch_classes.end(),
                   [](const MismatchSummary& a, const MismatchSummary& b) { return a.count > b.count; });
  r.device = m.core.info().name;
  r.features = tc.features.to_string();
  r.organization_checked = m.mmu.checks_organization();
  if (r.organization_checked) r.tlb_geometry = m.core.info().tlb.describe();
  r.bins_legal = TranslationCoverage::legal_bins(cfg.mode, tc.features).size();
  r.holes = cov.holes(cfg.mode, tc.features);
  const RtlMmuStats& s = m.core.stats();
  r.mem_stall_cycles = s.mem_stall_cycles;
  r.merged_misses = s.merged_misses;
  r.busy_walker_cycles = s.busy_walker_cycles;
  for (size_t n = 2; n < s.cycles_by_walkers_busy.size(); ++n)
    r.overlapped_walk_cycles += s.cycles_by_walkers_busy[n];
  std::string error;
  if (!cfg.export_dir.empty() && !recorder.write(cfg.export_dir, kRandomRunMemMiB, error)) {
    throw std::runtime_error(error);
  }
  return r;
}

}  // namespace vmsim
