// sweep_results.h: a sweep's result files gathered into one table: a row per
// job (its configuration, trace, option values and exit status, then every
// figure its JSON report holds), written as CSV and as JSON.
#pragma once

#include <string>

#include "testbench/formats/sweep_plan.h"

namespace vmsim {

struct SweepTally {
  unsigned done = 0, failed = 0, missing = 0;  // exit 0, exit non-zero, not run (yet)
};

// Reads `dir`/results/*.json and `dir`/joblog, writes `dir`/results.csv and
// `dir`/results.json, and prints a short table to stdout.
SweepTally collect_sweep(const SweepPlan& plan, const std::string& dir);

}  // namespace vmsim
