// basic_workload.h: the guest program `vmsim run` executes by default.
//
// It lays out a small process: a lazily backed heap of `pages` 4 KiB pages,
// a read-only data region, an executable text region, a region of huge pages
// (level 1: 2 MiB, or 4 MiB in Sv32) and the kernel's direct map (1 GiB
// pages, supervisor only). Then it makes `accesses` accesses in the chosen
// pattern, writing values and reading them back, and checks every value read
// against a host-side shadow copy. Interleaved: instruction fetches from
// text, supervisor reads of heap data through the direct map (the same bytes
// by another path), and a few deliberately invalid accesses that must fault
// without stopping the run.
#pragma once

#include <optional>
#include <string_view>

#include "testbench/workloads/workload.h"

namespace vmsim {

std::optional<Pattern> parse_pattern(std::string_view name);
std::string_view to_string(Pattern p);

class BasicWorkload final : public Workload {
 public:
  static constexpr uint64_t kDefaultAccesses = 1'000'000;
  explicit BasicWorkload(const WorkloadOptions& o);
  std::string name() const override { return "basic"; }
  std::string description() const override { return std::string(to_string(options_.pattern)) + " pattern"; }
  WorkloadResult run(GuestRuntime& rt) override;

 private:
  WorkloadOptions options_;
};

}  // namespace vmsim
