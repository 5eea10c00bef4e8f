// phases.h: a replay's warm-up and interval statistics (vmsim trace
// --warmup N --interval M).
//
// before(i) is called before reference i. At i = warmup it ends the warm-up
// (MmuProbe::end_warmup: the report's MMU figures count from there). From
// then on, every `interval` references close an interval: a row of what the
// MMU did in it (translations, TLB misses, L2 hits, walks, walk cycles, page
// faults), so phase behaviour shows; finish() closes the last, partial one.
// The rows' sums are the report's totals after warm-up.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "testbench/workloads/workload.h"

namespace vmsim {

struct PhaseOptions {
  uint64_t warmup = 0;    // references before the figures count
  uint64_t interval = 0;  // references per interval row (0: none)
};

class Phases {
 public:
  // `page_faults`: the kernel's running count (a replay without a kernel: 0).
  Phases(const PhaseOptions& o, MmuProbe* probe, std::function<uint64_t()> page_faults);
  void before(uint64_t i) {
    if (i == next_) mark(i);
  }
  void finish(uint64_t references);
  // "intervals" (rows) and the warm-up, as report figures and lines.
  void report(WorkloadResult& res) const;

 private:
  struct Totals {
    MmuCounters mmu;
    uint64_t page_faults = 0;
  };
  Totals totals() const;
  void mark(uint64_t i);
  void close_interval(uint64_t end);

  PhaseOptions o_;
  MmuProbe* probe_;
  std::function<uint64_t()> page_faults_;
  uint64_t next_ = UINT64_MAX;  // the next reference at which to mark
  uint64_t start_ = 0;          // the current interval's first reference
  bool warm_ = false;
  Totals at_start_;
  nlohmann::json rows_ = nlohmann::json::array();
};

}  // namespace vmsim
