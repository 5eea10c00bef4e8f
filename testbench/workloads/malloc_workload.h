// malloc_workload.h: the allocator running in a guest process.
//
// MallocTraceWorkload replays a malloc-lab trace (`vmsim malloc FILE`).
// MallocWorkload is `vmsim run --workload malloc`: an allocation-heavy
// program with a mixed size distribution, realloc chains, calloc, aligned
// allocations and blocks above the mmap threshold, so the heap grows by brk,
// maps large blocks, trims, and faults pages in through the MMU.
// Both report the allocator's figures (utilization, hits per bin, system
// calls) in the run's JSON and text; payload integrity errors fail the run.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "sw/malloc/ptmalloc.h"
#include "testbench/formats/malloc_trace.h"
#include "testbench/workloads/workload.h"

namespace vmsim {

class MallocTraceWorkload final : public Workload {
 public:
  // top_pad: M_TOP_PAD, as `vmsim malloc --top-pad` sets it (native mode sets the same).
  MallocTraceWorkload(std::shared_ptr<const MallocTrace> trace, uint64_t top_pad)
      : trace_(std::move(trace)), top_pad_(top_pad) {}
  std::string name() const override { return "malloc-trace"; }
  WorkloadResult run(GuestRuntime& rt) override;

 private:
  std::shared_ptr<const MallocTrace> trace_;
  uint64_t top_pad_;
};

class MallocWorkload final : public Workload {
 public:
  static constexpr uint64_t kDefaultCalls = 20'000;  // allocator calls, not memory accesses
  explicit MallocWorkload(const WorkloadOptions& o)
      : calls_(o.accesses ? o.accesses : kDefaultCalls), seed_(o.seed) {}
  std::string name() const override { return "malloc"; }
  WorkloadResult run(GuestRuntime& rt) override;

 private:
  uint64_t calls_, seed_;
};

// A random trace with the built-in workload's size mix (also used by tests).
MallocTrace make_malloc_workload_trace(uint64_t ops, uint64_t seed);

// Allocator figures as JSON (shared by every mode of `vmsim malloc`).
template <typename Alloc>
nlohmann::json allocator_figures(Alloc& a);

}  // namespace vmsim
