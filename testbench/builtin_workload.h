// builtin_workload.h: the guest program `vmsim run` executes.
//
// It lays out a small process: a lazily backed heap of `pages` 4 KiB pages,
// a read-only data region, an executable text region, a region of 2 MiB huge
// pages and the kernel's direct map (1 GiB pages, supervisor only). Then it
// makes `accesses` accesses in the chosen pattern, writing values and reading
// them back, and checks every value read against a host-side shadow copy.
// Interleaved: instruction fetches from text, supervisor reads of heap data
// through the direct map (the same bytes by another path), and a few
// deliberately invalid accesses that must fault without stopping the run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sw/kernel/guest_runtime.h"

namespace vmsim {

enum class Pattern { kSequential, kRandom, kStrided, kMixed };
std::optional<Pattern> parse_pattern(std::string_view name);
std::string_view to_string(Pattern p);

struct WorkloadConfig {
  uint64_t accesses = 1'000'000;
  uint64_t pages = 1024;
  Pattern pattern = Pattern::kMixed;
  uint64_t seed = 1;
  unsigned huge_pages = 4;  // level-1 pages (2 MiB; 4 MiB in Sv32) in the huge region
};

struct WorkloadResult {
  uint64_t loads = 0, stores = 0, fetches = 0, direct_map_reads = 0;
  uint64_t data_mismatches = 0;
  uint64_t invalid_probes = 0;       // deliberately bad accesses made
  uint64_t probes_not_faulting = 0;  // ... that wrongly succeeded
  uint64_t unexpected_faults = 0;    // good accesses that faulted
  std::string first_error;           // first mismatch or unexpected outcome, in full
  std::string setup_error;           // the layout could not be built
};

WorkloadResult run_builtin_workload(GuestRuntime& rt, const WorkloadConfig& cfg);

}  // namespace vmsim
