// plot_command.cpp: `vmsim plot KIND DIR ...`, figures from a sweep's
// results, drawn by scripts/vmsim_plot.py (matplotlib) from this source
// tree; every argument after `plot` is passed to it unchanged.
#include <filesystem>
#include <memory>
#include <vector>

#include "testbench/app/commands.h"
#include "testbench/app/subprocess.h"

namespace vmsim {

namespace {

int run(const std::vector<std::string>& args) {
  const std::string script = std::string(VMSIM_SOURCE_DIR) + "/scripts/vmsim_plot.py";
  if (!std::filesystem::exists(script)) return bad_usage("vmsim plot needs " + script);
  // Debian's python3, whose matplotlib the set-up installs, before any other
  // python3 on PATH (a virtualenv's, pyenv's) that may lack it.
  const std::string python = std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  if (python == "python3" && !on_path("python3")) return bad_usage("python3 is not installed");
  // The script runs `vmsim trace --tlb-curve`: this very vmsim.
  const std::string self = std::filesystem::canonical("/proc/self/exe").string();
  std::vector<std::string> argv = {python, script, "--vmsim", self};
  argv.insert(argv.end(), args.begin(), args.end());
  const int st = run_program(argv);
  return st < 0 || st == 127 ? bad_usage("cannot run python3") : st;
}

}  // namespace

Command add_plot_command(CLI::App& app) {
  auto args = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "plot",
      "figures from a sweep (matplotlib): curve (misses vs entries, with LRU and OPT), pareto (vs area), "
      "latency (walk-latency histograms), phases (misses per interval of a replay)");
  cmd->prefix_command();  // everything after `plot` goes to the script, --help included
  cmd->set_help_flag();
  return {cmd, [cmd, args] {
            *args = cmd->remaining();
            return run(*args);
          }};
}

}  // namespace vmsim
