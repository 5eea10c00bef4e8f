// workload.h: a guest program vmsim runs on the kernel, and the one result
// type every workload reports through.
//
// A workload lays itself out (regions, processes), makes its accesses
// through the GuestRuntime, checks what it reads back against what it wrote,
// and returns a WorkloadResult: the checks every run is judged by, plus its
// own figures (JSON keys and text-report lines). The harness runs it between
// building the kernel and reading the kernel's statistics.
//
// `vmsim run --workload NAME` makes a built-in workload by name from the
// registry below; `vmsim trace` and `vmsim malloc` make theirs from a file.
// Adding a workload: a class, and a VMSIM_REGISTER_WORKLOAD line in its file.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/kernel/guest_runtime.h"

namespace vmsim {

struct WorkloadResult {
  // The checks: any non-zero count, or a setup error, fails the run.
  uint64_t data_mismatches = 0;      // values read back that differ from what was written
  uint64_t unexpected_faults = 0;    // valid accesses that faulted
  uint64_t probes_not_faulting = 0;  // deliberately invalid accesses that did not fault
  std::string first_error;           // the first of those, in full
  std::string setup_error;           // the workload could not lay itself out
  std::string input_error;           // its input file turned out malformed mid-run ("FILE:LINE: ...")

  // Its own figures: merged into the run's JSON, and printed as text lines
  // after the fault counts. `accesses.*` keys replace the report's zeros.
  nlohmann::json figures = nlohmann::json::object();
  std::vector<std::string> lines;
  bool always_show_swap = false;  // print the swap and reclaim lines even when idle
  bool list_processes = true;     // one line per process, when there are several

  bool passed() const {
    return data_mismatches == 0 && unexpected_faults == 0 && probes_not_faulting == 0 &&
           setup_error.empty() && input_error.empty();
  }
  // Records the first error seen.
  void error(std::string what) {
    if (first_error.empty()) first_error = std::move(what);
  }
};

// The MMU's running totals at a moment, as MmuProbe::now reads them.
struct MmuCounters {
  uint64_t translations = 0, tlb_hits = 0, l2_hits = 0, walks = 0, walk_cycles = 0, cycles = 0;
};

// What the harness lets a workload see of the MMU while it runs: its
// totals, for interval statistics, and the end of a warm-up.
class MmuProbe {
 public:
  virtual ~MmuProbe() = default;
  virtual MmuCounters now() const = 0;
  // The report's MMU, TLB and walk figures count from here on: what came
  // before warmed the TLBs up. (Checker mismatches always count.)
  virtual void end_warmup() = 0;
};

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string name() const = 0;
  // How the report's first line names it.
  virtual std::string description() const { return name() + " workload"; }
  // Runs once, on a kernel whose first process is current.
  virtual WorkloadResult run(GuestRuntime& rt) = 0;
  // For each reference, the position of the next one to the same page, for
  // policies that need the future (OPT). Only a recorded trace has it.
  virtual std::shared_ptr<const std::vector<uint64_t>> next_use() const { return nullptr; }
  // Set by the harness for the length of run() (nullptr otherwise).
  void set_probe(MmuProbe* probe) { probe_ = probe; }

 protected:
  MmuProbe* probe_ = nullptr;
};

// ---- the built-in workloads, by name ------------------------------------------

enum class Pattern { kSequential, kRandom, kStrided, kMixed };

// What `vmsim run` passes to a built-in workload.
struct WorkloadOptions {
  uint64_t accesses = 0;  // the workload's default when 0
  uint64_t pages = 1024;
  unsigned huge_pages = 4;
  Pattern pattern = Pattern::kMixed;
  uint64_t seed = 1;
  unsigned processes = 4;
  PagingMode mode = PagingMode::kSv39;
  uint64_t mem_bytes = 0;
  std::string script;  // the script workload's file
};

struct WorkloadInfo {
  std::string summary;        // one line for --help
  uint64_t default_accesses;  // what --accesses means is the workload's to say
  uint64_t default_frames;    // a memory size that suits it (0: the machine's default)
  // Throws std::invalid_argument when the options cannot work (exit 2).
  std::unique_ptr<Workload> (*make)(const WorkloadOptions&);
};

bool register_workload(const std::string& name, WorkloadInfo info);
const WorkloadInfo* find_workload(const std::string& name);
std::vector<std::string> workload_names();  // "basic" first, then by name

}  // namespace vmsim

#define VMSIM_REGISTER_WORKLOAD(id, name, ...) \
  [[maybe_unused]] static const bool vmsim_workload_##id = ::vmsim::register_workload(name, {__VA_ARGS__})
