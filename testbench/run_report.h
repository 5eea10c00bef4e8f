// run_report.h: the figures of one `vmsim run`, printed as text or as one
// JSON object (keys documented in README.md, "What the report means").
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "model/rtl_mmu_core.h"
#include "sw/kernel/guest_runtime.h"
#include "testbench/builtin_workload.h"
#include "testbench/checked_mmu.h"
#include "testbench/malloc_workload.h"
#include "testbench/overcommit_workload.h"
#include "testbench/trace_workload.h"

namespace vmsim {

struct ProcessSummary {
  int pid;
  std::string name;
  bool alive;
  std::string end_reason;
  int oom_score_adj;
  FaultCounts faults;
};

struct RunReport {
  std::string harness;
  std::string workload_name = "basic";
  std::string policy;
  std::string mode;
  std::string pattern;
  unsigned tlb_entries = 0;
  uint64_t mem_latency_cycles = 0;
  uint64_t seed = 0;
  RtlMmuStats mmu;
  CheckStats check;
  RuntimeStats runtime;
  WorkloadResult workload;
  OvercommitResult overcommit;
  TraceResult trace;
  MallocWorkloadResult malloc;
  uint64_t trace_lines = 0;
  std::vector<ProcessSummary> processes;
  std::vector<OomKill> oom;
  AuditReport audit;
  Watermarks watermarks;
  uint64_t frames_used = 0, frames_total = 0, swap_slots = 0, swap_used = 0;
  uint64_t sim_cycles = 0;
  double sim_time_ns = 0;
  double wall_seconds = 0;

  bool passed() const;
  uint64_t data_mismatches() const {
    return workload.data_mismatches + overcommit.data_mismatches + trace.data_mismatches +
           malloc.integrity_errors;
  }
  nlohmann::json to_json() const;
  void print_text(std::ostream& os, const std::string& first_mismatch) const;
};

}  // namespace vmsim
