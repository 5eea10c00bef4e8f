// trace_command.cpp: `vmsim trace FILE`, a valgrind lackey trace replayed
// through the RTL MMU and the runtime.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "testbench/analysis/tlb_curve.h"
#include "testbench/app/commands.h"
#include "testbench/workloads/trace_workload.h"

namespace vmsim {

namespace {

struct TraceOptions {
  MachineOptions machine;
  std::string file;
  bool tlb_curve = false;
  std::vector<unsigned> curve_entries = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
};

// --tlb-curve: the trace's 4 KiB page references through fully associative
// TLBs of each size, LRU (one pass) and OPT; no simulation.
int print_tlb_curve(const TraceOptions& o, const LackeyTrace& trace) {
  std::vector<uint64_t> pages;
  pages.reserve(trace.refs.size());
  for (const TraceRef& r : trace.refs) pages.push_back(r.addr >> kPageShift);
  const std::vector<uint64_t> lru = lru_misses(pages, o.curve_entries);
  const double n = double(pages.size());
  std::cout << fmt::format("vmsim trace {}: {} page references, {} distinct 4 KiB pages\n", o.file,
                           pages.size(), trace.distinct_pages());
  std::cout << fmt::format("{:>8} {:>12} {:>9} {:>12} {:>9}\n", "entries", "LRU misses", "LRU rate",
                           "OPT misses", "OPT rate");
  for (size_t i = 0; i < o.curve_entries.size(); ++i) {
    const uint64_t opt = opt_misses(pages, o.curve_entries[i]);
    std::cout << fmt::format("{:>8} {:>12} {:>9.5f} {:>12} {:>9.5f}\n", o.curve_entries[i], lru[i],
                             double(lru[i]) / n, opt, double(opt) / n);
  }
  return 0;
}

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
  if (o.tlb_curve) return print_tlb_curve(o, *trace);
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
  cmd->add_flag("--tlb-curve", o->tlb_curve,
                "print misses of fully associative TLBs of each size, LRU (one pass) and Belady's OPT, "
                "for the trace's 4 KiB pages; no simulation");
  cmd->add_option("--curve-entries", o->curve_entries, "the sizes for --tlb-curve")
      ->check(CLI::Range(1u, 1u << 20))
      ->capture_default_str();
  add_machine_options(cmd, o->machine);
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
