// fast_replay.h: `vmsim trace --fast`, the TLB hierarchy's reference model
// alone, with no RTL and no guest kernel.
//
// The replay it stands for is `vmsim trace --premap` on vmsim's RTL: every
// page the trace touches is mapped before it starts (4 KiB pages, or 2 MiB
// ones with --page-size 2m), with A and D set, so no reference faults and
// every one is one translation. Each is looked up in the model of the
// device's hierarchy (testbench/check/tlb_model.h, the one the checker holds
// the RTL to); a miss is a walk reading one PTE per level down to the leaf.
// Cycles follow the RTL's protocol: an L1 hit answers in 1 cycle, an L2 hit
// in 1 + the L2's latency, and a walk in 2 (+ the L2's latency, when there
// is one) + (memory latency + 2) per PTE read. The report has the same keys
// as the RTL's, and a test holds every TLB and walk figure equal to it
// (tests/cli/check_fast_mode.py), with --warmup and --interval too.
#pragma once

#include <cstdint>
#include <string>

#include "model/device.h"
#include "testbench/check/checked_mmu.h"
#include "testbench/formats/trace_reader.h"
#include "testbench/workloads/phases.h"

namespace vmsim {

struct FastReplayConfig {
  TlbHierarchy tlb;
  PagingMode mode = PagingMode::kSv48;
  unsigned page_level = 0;  // of every page: 0 (4 KiB) or 1 (2 MiB; 4 MiB in Sv32)
  uint64_t mem_latency_cycles = 20;
};

struct FastReplayResult {
  RtlMmuStats mmu;
  CheckStats check;
  TlbCounts tlb;
  uint64_t cycles = 0;
  uint64_t loads = 0, stores = 0, fetches = 0;
  uint64_t pages_premapped = 0;  // the pages the trace touches, which the RTL replay maps first
  std::string error;             // a read error of the trace ("FILE:LINE: ...")
};

// `phases`: warm-up and interval rows, as on the RTL (their figures and
// lines go into `report`). One pass over the trace.
FastReplayResult fast_replay(TraceReader& reader, const FastReplayConfig& cfg, const PhaseOptions& phases,
                             WorkloadResult& report);

}  // namespace vmsim
