// mmu_figures.h: the MMU counts a report shows (the device's, the
// checker's, the reference's per TLB), taken together, so that a warm-up's
// baseline can be taken off them in one place (vmsim trace --warmup, on the
// RTL and in fast mode).
#pragma once

#include <optional>

#include "model/device.h"
#include "testbench/check/checked_mmu.h"

namespace vmsim {

struct MmuFigures {
  RtlMmuStats mmu;
  CheckStats check;
  std::optional<TlbCounts> tlb;
};

// `from` less `base`, count by count. Mismatches and answers legal only as
// cached ones are not taken off: a wrong answer during warm-up still counts.
void subtract_baseline(MmuFigures& from, const MmuFigures& base);

}  // namespace vmsim
