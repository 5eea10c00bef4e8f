// trace_workload.h: replays a lackey reference string through the whole
// stack, as `vmsim trace` does.
//
// One process whose address space is a single lazily backed region covering
// the user half, so every address of the trace is valid. Each reference is a
// 1-byte guest load, store or fetch (fetches at the 4-byte aligned address)
// translated by the RTL, with page faults handled by the runtime. Stores
// write a fresh value that a host-side shadow keeps; loads are checked
// against it, so swapping out and back in must preserve every byte.
#pragma once

#include <memory>

#include "testbench/formats/lackey_trace.h"
#include "testbench/workloads/workload.h"

namespace vmsim {

class TraceWorkload final : public Workload {
 public:
  explicit TraceWorkload(std::shared_ptr<const LackeyTrace> trace) : trace_(std::move(trace)) {}
  std::string name() const override { return "trace"; }
  WorkloadResult run(GuestRuntime& rt) override;
  // Computed on first use (only OPT asks), then kept.
  std::shared_ptr<const std::vector<uint64_t>> next_use() const override {
    if (!next_use_) next_use_ = trace_->next_use();
    return next_use_;
  }

 private:
  std::shared_ptr<const LackeyTrace> trace_;
  mutable std::shared_ptr<const std::vector<uint64_t>> next_use_;
};

}  // namespace vmsim
