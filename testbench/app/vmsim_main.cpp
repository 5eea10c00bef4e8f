// vmsim: command-line entry point.
//
//   vmsim run [options]         a built-in workload through the RTL MMU, checked
//   vmsim trace FILE [options]  a memory trace (lackey, ChampSim, vmsim binary) through the whole stack
//   vmsim translate [options]   your page-table image and requests through the RTL, checked
//   vmsim malloc FILE [options] a malloc-lab trace through the allocator (guest, native, glibc)
//   vmsim random [options]      the random differential test of a device, with coverage
//   vmsim convert IN OUT        a trace into vmsim's binary trace format
//   vmsim record -o F -- CMD    runs CMD under valgrind lackey and writes its memory trace
//   vmsim sweep FILE -o DIR     configurations x traces x options, through GNU parallel
//   vmsim plot KIND DIR         figures from a sweep (matplotlib)
//
// Each subcommand is a file of its own (commands.h). Exit status: 0 when the
// run passed, 1 when a checker, data or fault check failed (or the run could
// not be set up), 2 for a bad command line or input.
#include <fmt/format.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <systemc>
#include <vector>

#include "testbench/app/commands.h"

namespace {

// Parses the command line; returns an exit status, or -1 to go on.
int parse(CLI::App& app, int argc, char* argv[]) {
  std::string names;
  bool known = false;
  for (const auto* sub : app.get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known = known || (argc > 1 && sub->get_name() == argv[1]);
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    return vmsim::bad_usage(
        fmt::format("unknown command '{}' (commands: {}; see 'vmsim --help')", argv[1], names));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::string sub = app.get_subcommands().empty() ? "" : app.get_subcommands()[0]->get_name() + " ";
    return vmsim::bad_usage(std::string(e.what()) + " (see 'vmsim " + sub + "--help')");
  }
  return -1;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  // SystemC's informational messages ("simulation stopped by user") would
  // break --json output; warnings and errors still reach stderr.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  CLI::App app{"vmsim: an RTL MMU (TLB + page walker) co-simulated with SystemC, under a guest OS runtime"};
  app.require_subcommand(1);
  const std::vector<vmsim::Command> commands = {
      vmsim::add_run_command(app),       vmsim::add_trace_command(app),  vmsim::add_malloc_command(app),
      vmsim::add_translate_command(app), vmsim::add_random_command(app), vmsim::add_convert_command(app),
      vmsim::add_record_command(app),    vmsim::add_sweep_command(app),  vmsim::add_plot_command(app)};
  if (const int st = parse(app, argc, argv); st >= 0) return st;
  try {
    for (const vmsim::Command& c : commands) {
      if (c.cli->parsed()) return c.run();
    }
  } catch (const std::exception& e) {
    std::cerr << "vmsim: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

// Our own main, so the SystemC banner can be turned off before the library
// prints it (sc_elab_and_sim prints it before calling sc_main).
//
// A write past the host's file-size limit (ulimit -f) fails with EFBIG and is
// reported like a full disk, instead of SIGXFSZ ending the process unheard.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  std::signal(SIGXFSZ, SIG_IGN);
  return sc_core::sc_elab_and_sim(argc, argv);
}
