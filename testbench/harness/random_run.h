// random_run.h: one random differential run, on any device.
//
// Random page tables and a random request stream (check/random_page_tables.h)
// drive the device through the checker, with functional coverage; the case
// can be written out as files (check/case_recorder.h) to replay elsewhere.
// `vmsim random` and tests/rtl/test_random_differential.cpp both run this.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/device.h"
#include "sw/paging.h"

namespace vmsim {

struct RandomRunConfig {
  PagingMode mode = PagingMode::kSv39;
  uint64_t seed = 1;
  uint64_t translations = 100'000;
  std::string device;  // a device library; empty: vmsim's own MMU
  DriverOptions driver;
  std::string export_dir;  // write the case here (empty: do not)
};

// One class of mismatch (CheckedMmu::mismatch_classes): how often, and the
// first of it in full.
struct MismatchSummary {
  std::string name;
  uint64_t count = 0;
  std::string first;
};

struct RandomRunResult {
  uint64_t translations = 0, tlb_hits = 0, mismatches = 0, cached_answers = 0, cycles = 0;
  uint64_t l2_hits = 0;  // of tlb_hits, served by the L2 (has_l2)
  bool has_l2 = false;
  std::string device;
  std::string features;  // what the device declares it implements ("sv39 svnapot")
  bool organization_checked = false;
  std::string tlb_geometry;  // "64x8 lru + 16 superpage", when the organization is vmsim's
  size_t bins_legal = 0;
  std::vector<std::string> holes;  // coverage bins no translation hit
  std::string first_mismatch;
  std::vector<MismatchSummary> mismatch_classes;  // most frequent first
  uint64_t mem_stall_cycles = 0;
  // Several in flight (--window): misses merged, walker-cycles busy, and the
  // cycles with at least two walkers busy.
  uint64_t merged_misses = 0, busy_walker_cycles = 0, overlapped_walk_cycles = 0;
};

inline constexpr uint64_t kRandomRunMemMiB = 64;

// The device does not implement the mode asked for (a usage error).
class UnsupportedMode : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws std::runtime_error when the device cannot be loaded or the case
// cannot be written; RtlError when the device fails (an assertion, a hang).
RandomRunResult run_random(const RandomRunConfig& cfg);

}  // namespace vmsim
