// vmsim: command-line entry point.
//
//   vmsim run [options]         the built-in workload through the RTL MMU, checked
//   vmsim translate [options]   your page-table image and requests through the RTL, checked
//
// Exit status: 0 when the run passed, 1 when a checker, data or fault check
// failed (or the run could not be set up), 2 for a bad command line.
#include <systemc>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "testbench/simulation.h"
#include "testbench/text_image.h"
#include "testbench/translate_command.h"

namespace {

struct RunOptions {
  vmsim::SimConfig sim;
  std::string pattern = "mixed";
  std::string mode = "sv39";
  std::string harness = "systemc";
  uint64_t mem_mib = 256;
  bool json = false;
  unsigned show_invalid = 5;
};

int bad_usage(const std::string& msg) {
  std::cerr << "vmsim: " << msg << "\n";
  return 2;
}

int do_run(RunOptions& o) {
  auto& cfg = o.sim;
  cfg.workload.pattern = *vmsim::parse_pattern(o.pattern);  // validated by CLI11
  cfg.mode = *vmsim::parse_paging_mode(o.mode);
  cfg.mem_bytes = o.mem_mib << 20;
  if (!cfg.trace_path.empty() && !vmsim::RtlMmuCore::tracing_supported()) {
    return bad_usage("--trace needs the tracing build: cmake -B build-trace -DVMSIM_TRACE=ON (or 'make trace')");
  }
  if (cfg.mode == vmsim::PagingMode::kSv32 && o.mem_mib > 1024) {
    return bad_usage(fmt::format("--mode sv32 maps memory at 0xC0000000, so --mem-size must be at most 1024 MiB (got {})",
                                 o.mem_mib));
  }
  const uint64_t needed_mib = (cfg.workload.pages * vmsim::kPageSize >> 20) + 2 * cfg.workload.huge_pages + 8;
  if (needed_mib > o.mem_mib) {
    return bad_usage(fmt::format("--pages {} with {} huge pages needs about {} MiB, but --mem-size is {} MiB",
                                 cfg.workload.pages, cfg.workload.huge_pages, needed_mib, o.mem_mib));
  }
  const vmsim::SimOutcome out = o.harness == "plain" ? vmsim::run_plain(cfg) : vmsim::run_cosim(cfg);
  if (!out.error.empty()) {
    std::cerr << "vmsim: run failed: " << out.error << "\n";
    return 1;
  }
  const auto& r = out.report;
  if (o.json) {
    auto j = r.to_json();
    if (!out.first_mismatch.empty()) j["check.first_mismatch"] = out.first_mismatch;
    if (!r.workload.first_error.empty()) j["check.first_error"] = r.workload.first_error;
    std::cout << j.dump(2) << "\n";
  } else {
    r.print_text(std::cout, out.first_mismatch);
    const size_t n = std::min<size_t>(o.show_invalid, out.invalid_log.size());
    if (n > 0) std::cout << fmt::format("  first {} invalid accesses (reported like a segfault):\n", n);
    for (size_t i = 0; i < n; ++i) {
      const auto& f = out.invalid_log[i];
      std::cout << fmt::format("    {} {} va 0x{:x}: {}: {}\n", vmsim::to_string(f.priv),
                               vmsim::to_string(f.access), f.va.value(), vmsim::to_string(f.cause),
                               f.reason);
    }
  }
  return r.passed() ? 0 : 1;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  // SystemC's informational messages ("simulation stopped by user") would
  // break --json output; warnings and errors still reach stderr.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  CLI::App app{"vmsim: an RTL MMU (TLB + page walker) co-simulated with SystemC, under a guest OS runtime"};
  app.require_subcommand(1);
  RunOptions run;
  auto* cmd = app.add_subcommand("run", "run the built-in workload through the RTL MMU, every translation checked");
  cmd->add_option("--accesses", run.sim.workload.accesses, "guest memory accesses to make")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10'000'000'000}))
      ->capture_default_str();
  cmd->add_option("--pages", run.sim.workload.pages, "4 KiB pages in the lazily allocated heap")
      ->check(CLI::Range(uint64_t{1}, uint64_t{16'777'216}))
      ->capture_default_str();
  cmd->add_option("--huge-pages", run.sim.workload.huge_pages, "2 MiB pages in the huge-page region")
      ->check(CLI::Range(0u, 4096u))
      ->capture_default_str();
  cmd->add_option("--pattern", run.pattern, "access pattern")
      ->check(CLI::IsMember({"sequential", "random", "strided", "mixed"}))
      ->capture_default_str();
  cmd->add_option("--mode", run.mode, "paging mode")
      ->check(CLI::IsMember({"sv32", "sv39", "sv48", "sv57"}))
      ->capture_default_str();
  cmd->add_option("--mem-latency", run.sim.mem_latency_cycles, "cycles per page-walker memory access")
      ->check(CLI::Range(uint64_t{0}, uint64_t{100'000}))
      ->capture_default_str();
  cmd->add_option("--mem-size", run.mem_mib, "physical memory in MiB")
      ->check(CLI::Range(uint64_t{16}, uint64_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--seed", run.sim.workload.seed, "random seed (runs are reproducible)")->capture_default_str();
  cmd->add_option("--harness", run.harness, "systemc: co-simulation; plain: the same RTL from plain C++")
      ->check(CLI::IsMember({"systemc", "plain"}))
      ->capture_default_str();
  cmd->add_flag("--svadu", run.sim.svadu, "hardware sets A/D bits (Svadu) instead of faulting (Svade)");
  cmd->add_option("--trace", run.sim.trace_path, "write an FST waveform (tracing build only)");
  cmd->add_option("--show-invalid", run.show_invalid, "invalid accesses to list in the text report")
      ->check(CLI::Range(0u, 64u))
      ->capture_default_str();
  cmd->add_flag("--json", run.json, "print one JSON object instead of the text report");

  vmsim::TranslateOptions tr;
  std::string satp_text;
  auto* tcmd = app.add_subcommand("translate", "translate requests against a physical-memory image, checked");
  tcmd->add_option("--image", tr.image_path, "memory image: lines 'ADDR VALUE' (hex)")->required()->check(CLI::ExistingFile);
  tcmd->add_option("--satp", satp_text, "initial satp (hex)")->required();
  tcmd->add_option("--requests", tr.requests_path, "requests: 'VA r|w|x u|s', 'satp HEX', 'sfence VA|* ASID|*', 'mem ADDR VALUE'")
      ->required()
      ->check(CLI::ExistingFile);
  tcmd->add_option("--xlen", tr.xlen, "32 (Sv32) or 64 (Sv39/48/57)")->check(CLI::IsMember({32u, 64u}))->capture_default_str();
  tcmd->add_flag("--svadu", tr.svadu, "hardware A/D updates (Svadu) instead of faults (Svade)");
  tcmd->add_flag("--sum", tr.sum, "sstatus.SUM: S-mode loads/stores may touch U pages");
  tcmd->add_flag("--mxr", tr.mxr, "sstatus.MXR: loads may read executable pages");
  tcmd->add_option("--dump-image", tr.dump_image_path, "write memory (image and stores, A/D updates included) here");
  tcmd->add_option("--trace", tr.trace_path, "write an FST waveform (tracing build only)");
  tcmd->add_option("--mem-size", tr.mem_mib, "physical memory in MiB; PTEs above it are access faults")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 24))
      ->capture_default_str();
  tcmd->add_flag("-v,--verbose", tr.verbose, "also say whether each answer came from the TLB or a walk");

  std::string names;
  bool known = false;
  for (const auto* sub : app.get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known = known || (argc > 1 && sub->get_name() == argv[1]);
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    return bad_usage(fmt::format("unknown command '{}' (commands: {}; see 'vmsim --help')", argv[1], names));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return bad_usage(std::string(e.what()) + " (see 'vmsim " +
                     (app.get_subcommands().empty() ? "" : app.get_subcommands()[0]->get_name() + " ") +
                     "--help')");
  }
  try {
    if (cmd->parsed()) return do_run(run);
    if (tcmd->parsed()) {
      const auto satp = vmsim::parse_hex(satp_text);
      if (!satp) return bad_usage("--satp '" + satp_text + "' is not a hex number of at most 64 bits");
      tr.satp = *satp;
      if (!tr.trace_path.empty() && !vmsim::RtlMmuCore::tracing_supported()) {
        return bad_usage("--trace needs the tracing build: cmake -B build-trace -DVMSIM_TRACE=ON (or 'make trace')");
      }
      return vmsim::run_translate(tr, std::cout, std::cerr);
    }
  } catch (const std::exception& e) {
    std::cerr << "vmsim: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

// Our own main, so the SystemC banner can be turned off before the library
// prints it (sc_elab_and_sim prints it before calling sc_main).
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
