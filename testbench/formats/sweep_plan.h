// sweep_plan.h: a sweep file, expanded into the jobs it stands for.
//
// A sweep is configurations x traces x option values, each job one
// `vmsim trace TRACE --config CONFIG --json [OPTIONS]` run:
//
//   {
//     "traces":   ["ls.vtr", "sort.vtr.zst"],            (at least one)
//     "configs":  ["../configs/rocket.json"],             (named configurations)
//     "generate": { "l1_tlb": { "sets": [1], "ways": [8, 16, 32],
//                               "policy": ["plru", "lru"], "superpage_entries": [0] } },
//     "options":  { "--mem-latency": [20, 100] },         (each key an axis)
//     "args":     ["--harness", "plain"]                  (given to every job)
//   }
//
// "generate" adds a configuration per combination of its lists (written to
// the output directory's configs/, named like g-1x16-plru-s0). Paths are
// relative to the sweep file. Jobs are numbered in a fixed order (configs,
// then traces, then options), so the same file always gives the same jobs:
// what lets an interrupted sweep resume.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vmsim {

struct SweepJob {
  unsigned id = 0;  // 1-based, the job's line in jobs.txt
  std::string config, config_name, trace;
  std::vector<std::pair<std::string, std::string>> options;  // axis name, value
};

struct SweepPlan {
  std::vector<std::string> axes;  // option names, in order
  std::vector<std::string> args;  // given to every job
  std::vector<std::string> configs;
  std::vector<SweepJob> jobs;
  std::string fingerprint;  // the expanded plan, to tell one sweep from another
};

// Where job `id`'s results go: DIR/results/NNNN (.json the report, .err
// its stderr).
std::string job_result_stem(const std::string& dir, unsigned id);

// Reads `path` and expands it; generated configurations are written to
// `out_dir`/configs/. nullopt with `err` ("FILE: what is wrong") when the
// file is malformed or names a file that does not exist.
std::optional<SweepPlan> load_sweep(const std::string& path, const std::string& out_dir, std::string& err);

}  // namespace vmsim
