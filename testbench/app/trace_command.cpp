// trace_command.cpp: `vmsim trace FILE`, a valgrind lackey trace replayed
// through the RTL MMU and the runtime.
#include <fstream>
#include <memory>

#include "testbench/app/commands.h"
#include "testbench/workloads/trace_workload.h"

namespace vmsim {

namespace {

struct TraceOptions {
  MachineOptions machine;
  std::string file;
};

int run(TraceOptions& o) {
  MachineOptions& m = o.machine;
  // Lackey traces of x86-64 programs use addresses up to 47 bits: Sv48's user half.
  if (!m.mode_opt->count()) m.mode = "sv48";
  std::ifstream in(o.file);
  if (!in) return bad_usage("cannot open trace '" + o.file + "'");
  std::optional<TraceError> err;
  auto trace = parse_lackey(in, o.file, err);
  if (!trace) return bad_usage(err->message);
  if (trace->refs.empty()) return bad_usage("trace '" + o.file + "' has no accesses");
  auto shared = std::make_shared<const LackeyTrace>(std::move(*trace));
  if (const int st = finish_machine_options(m, 0, shared->distinct_pages() + 64); st >= 0)
    return st;  // room for every page
  m.sim.workload = std::make_shared<TraceWorkload>(shared);
  m.sim.command = "trace";
  // Hardware A/D (Svadu) unless asked otherwise: then A-bit aging costs no
  // faults and page-in counts are the classic ones.
  m.sim.svadu = !m.svade;
  if (const int st = check_policy(m); st >= 0) return st;
  return simulate_and_report(m);
}

}  // namespace

Command add_trace_command(CLI::App& app) {
  auto o = std::make_shared<TraceOptions>();
  CLI::App* cmd =
      app.add_subcommand("trace", "replay a valgrind lackey trace through the RTL MMU and the runtime");
  cmd->add_option("FILE", o->file, "lackey trace (valgrind --tool=lackey --trace-mem=yes)")->required();
  cmd->add_flag("--svade", o->machine.svade,
                "software A/D (faults) instead of the default hardware updates (Svadu)");
  cmd->add_option("--show-invalid", o->machine.show_invalid, "invalid accesses to list")
      ->check(CLI::Range(0u, 64u));
  add_machine_options(cmd, o->machine);
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
