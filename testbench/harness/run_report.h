// run_report.h: the figures of one run, printed as text or as one JSON
// object (keys documented in README.md, "What the report means").
//
// The MMU's, the checker's and the kernel's figures are the same for every
// workload; the workload adds its own (WorkloadResult::figures and lines).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/rtl_mmu_core.h"
#include "sw/kernel/guest_runtime.h"
#include "testbench/check/checked_mmu.h"
#include "testbench/workloads/workload.h"

namespace vmsim {

// One NUMA node at the end of a run.
struct NodeSummary {
  uint64_t frames = 0, free = 0, user_pages = 0;
  Watermarks watermarks;
  NodeStats stats;
};

struct ProcessSummary {
  int pid;
  std::string name;
  bool alive;
  std::string end_reason;
  int oom_score_adj;
  FaultCounts faults;
};

struct RunReport {
  // What ran, and on what.
  std::string command = "run";
  std::string harness;
  std::string workload_name;
  std::string description;  // "mixed pattern", "overcommit workload", ...
  std::string policy;
  unsigned swappiness = 60;
  bool thp = false;
  std::string mode;
  std::string pattern;
  unsigned tlb_entries = 0;
  std::string tlb;                        // its geometry ("1x16 plru"), or empty for a foreign device
  std::optional<TlbHierarchy> hierarchy;  // vmsim's own MMU: its TLBs
  std::optional<TlbCounts> tlb_counts;    // CheckedMmu::tlb_counts, per TLB
  uint64_t mem_latency_cycles = 0;
  uint64_t seed = 0;
  // What happened.
  RtlMmuStats mmu;
  CheckStats check;
  RuntimeStats runtime;
  WorkloadResult workload;
  std::vector<ProcessSummary> processes;
  std::vector<OomKill> oom;
  AuditReport audit;
  Watermarks watermarks;
  uint64_t frames_used = 0, frames_total = 0, swap_slots = 0, swap_used = 0;
  std::vector<uint64_t> free_blocks;  // by order: the buddy allocator's free blocks at the end
  std::vector<NodeSummary> nodes;     // by NUMA node
  uint64_t shared_pages = 0;          // pages shared since a fork, not yet copied, at the end
  uint64_t sim_cycles = 0;
  double sim_time_ns = 0;
  double wall_seconds = 0;

  bool passed() const { return check.mismatches == 0 && workload.passed() && audit.clean(); }
  nlohmann::json to_json() const;
  void print_text(std::ostream& os, const std::string& first_mismatch) const;

 private:
  void json_mmu(nlohmann::json& j) const;
  void json_tlb_levels(nlohmann::json& j) const;
  void json_kernel(nlohmann::json& j) const;
  void json_memory(nlohmann::json& j) const;
  void json_checks(nlohmann::json& j) const;
  void text_mmu(std::ostream& os) const;
  void text_kernel(std::ostream& os) const;
  void text_memory(std::ostream& os) const;
  void text_totals(std::ostream& os, const std::string& first_mismatch) const;
};

}  // namespace vmsim
