// command.h: what every subcommand of `vmsim` shares.
//
// Each subcommand lives in its own file and adds itself to the CLI11 app
// with an add_*_command() function; vmsim_main.cpp calls them and runs the
// one the user chose. Exit status, for every command: 0 the run passed, 1 a
// check failed (or the run could not be set up), 2 bad command line or input.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "testbench/harness/simulation.h"

namespace vmsim {

struct Command {
  CLI::App* cli;             // the subcommand, to ask whether it was chosen
  std::function<int()> run;  // runs it, after parsing; returns the exit status
};

// Prints "vmsim: MSG" and returns 2.
int bad_usage(const std::string& msg);

// The machine a run happens on and its memory management: the options
// `run`, `trace` and `malloc` share.
struct MachineOptions {
  SimConfig sim;
  std::string mode = "sv39";
  std::string harness = "systemc";
  uint64_t mem_mib = 256;
  uint64_t frames = 0;
  std::string watermarks;
  std::string config;  // --config FILE
  std::string reclaim = "watermark";
  std::string thp = "never";  // --thp never|always
  std::string numa_policy = "local";
  bool json = false;
  bool svade = false;
  unsigned show_invalid = 5;
  CLI::Option* frames_opt = nullptr;
  CLI::Option* mem_opt = nullptr;
  CLI::Option* swap_opt = nullptr;
  CLI::Option* mode_opt = nullptr;
};

void add_machine_options(CLI::App* cmd, MachineOptions& o);
// --device or --config, and --mem-stall: which device, and how the driver
// treats it.
void add_device_options(CLI::App* cmd, std::string& device, DriverOptions& driver, std::string& config);
// Resolves --config (config_device.h) into `device`, then checks the library
// loads; -1 to go on, or an exit status.
int choose_device(const std::string& config, std::string& device);
// Checks the options together and fills o.sim; `default_frames` is a memory
// size the workload prefers (0: none) and `default_swap` a swap size (0:
// twice the frames, at most 1M slots). Returns an exit status, or -1 to go on.
// Every check returns the same way: an exit status, or -1 to go on.
int finish_machine_options(MachineOptions& o, uint64_t default_frames, uint64_t default_swap = 0);
// The policy can be made for o.sim.workload (OPT needs a recorded trace).
int check_policy(const MachineOptions& o);
// Says on stderr, before it starts, that a run will take long: `units` of
// work (references, accesses) at about `per_second` each second is more than
// ten minutes. `faster` names a quicker way, if there is one.
void note_long_run(uint64_t units, const char* what, double per_second, const std::string& faster = {});
// Runs the workload in o.sim on the chosen harness and reports; the status.
int simulate_and_report(const MachineOptions& o);

}  // namespace vmsim
