// run_command.cpp: `vmsim run`, a built-in workload (by name, from the
// workload registry) through the RTL MMU, every translation checked.
#include <fmt/format.h>

#include <memory>

#include "testbench/app/commands.h"
#include "testbench/app/option_checks.h"
#include "testbench/workloads/basic_workload.h"

namespace vmsim {

namespace {

struct RunOptions {
  MachineOptions machine;
  std::string workload = "basic";
  std::string pattern = "mixed";
  WorkloadOptions w;
  CLI::Option* accesses_opt = nullptr;
  CLI::Option* calls_opt = nullptr;
  uint64_t calls = 0;
  CLI::Option* workload_opt = nullptr;
  CLI::Option* script_opt = nullptr;
};

std::string workload_help() {
  std::string help = "the guest program:";
  for (const std::string& name : workload_names())
    help += "\n  " + name + ": " + find_workload(name)->summary;
  return help;
}

void add_workload_options(CLI::App* cmd, RunOptions& o) {
  o.workload_opt = cmd->add_option("--workload", o.workload, workload_help())
                       ->check(CLI::IsMember(workload_names()))
                       ->capture_default_str();
  o.accesses_opt =
      cmd->add_option("--accesses", o.w.accesses,
                      "guest memory accesses the workload makes (basic: 1000000, overcommit: 200000); the "
                      "malloc workload counts allocator calls instead: --calls")
          ->check(CLI::Range(uint64_t{1}, uint64_t{10'000'000'000}));
  o.calls_opt =
      cmd->add_option("--calls", o.calls, "allocator calls the malloc workload makes (default 20000)")
          ->check(CLI::Range(uint64_t{1}, uint64_t{10'000'000'000}));
  cmd->add_option("--pages", o.w.pages, "4 KiB pages in the basic workload's heap")
      ->check(CLI::Range(uint64_t{1}, uint64_t{16'777'216}))
      ->capture_default_str();
  cmd->add_option("--huge-pages", o.w.huge_pages, "level-1 pages in the basic workload's huge-page region")
      ->check(CLI::Range(0u, 4096u))
      ->capture_default_str();
  cmd->add_option("--pattern", o.pattern, "the basic workload's access pattern")
      ->check(CLI::IsMember({"sequential", "random", "strided", "mixed"}))
      ->capture_default_str();
  cmd->add_option("--processes", o.w.processes,
                  "processes in the overcommit workload (at most 64), children the fork workload makes")
      ->check(CLI::Range(1u, 1'000'000u))
      ->capture_default_str();
  o.script_opt = cmd->add_option("--script", o.w.script,
                                 "a guest program to run, one call a line (implies --workload script; "
                                 "docs/runtime.md, Scripts)");
  cmd->add_option("--seed", o.w.seed, "random seed (runs are reproducible)")
      ->check(whole_number())
      ->capture_default_str();
}

int run(RunOptions& o) {
  if (o.script_opt->count()) {
    if (o.workload_opt->count() && o.workload != "script")
      return bad_usage("--script is the script workload's; --workload " + o.workload + " takes no script");
    o.workload = "script";
  }
  // One name, one meaning: the malloc workload counts allocator calls, the
  // others guest memory accesses.
  const bool counts_calls = o.workload == "malloc";
  if (counts_calls && o.accesses_opt->count())
    return bad_usage(
        "--accesses counts guest memory accesses; the malloc workload counts allocator calls: use --calls N");
  if (!counts_calls && o.calls_opt->count())
    return bad_usage("--calls counts the malloc workload's allocator calls; --workload " + o.workload +
                     " counts guest memory accesses: use --accesses N");
  if (o.calls_opt->count()) o.w.accesses = o.calls;
  const WorkloadInfo* info = find_workload(o.workload);  // validated by CLI11
  MachineOptions& m = o.machine;
  m.sim.seed = o.w.seed;
  m.sim.pattern = o.pattern;
  o.w.pattern = *parse_pattern(o.pattern);
  if (const int st = finish_machine_options(m, info->default_frames); st >= 0) return st;
  o.w.mode = m.sim.mode;
  o.w.mem_bytes = m.sim.mem_bytes;
  try {
    m.sim.workload = info->make(o.w);
  } catch (const std::invalid_argument& e) {
    return bad_usage(e.what());
  }
  if (const int st = check_policy(m); st >= 0) return st;
  note_long_run(o.w.accesses, counts_calls ? "allocator calls" : "accesses", counts_calls ? 1e4 : 1e6);
  return simulate_and_report(m);
}

}  // namespace

Command add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd =
      app.add_subcommand("run", "run a built-in workload through the RTL MMU, every translation checked");
  add_workload_options(cmd, *o);
  cmd->add_flag("--svadu", o->machine.sim.svadu,
                "hardware sets A/D bits (Svadu) instead of faulting (Svade)");
  cmd->add_option("--show-invalid", o->machine.show_invalid, "invalid accesses to list in the text report")
      ->check(CLI::Range(0u, 64u))
      ->capture_default_str();
  add_machine_options(cmd, o->machine);
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
