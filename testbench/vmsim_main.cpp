// vmsim: command-line entry point.
//
//   vmsim run [options]         a built-in workload through the RTL MMU, checked
//   vmsim trace FILE [options]  a valgrind lackey trace through the whole stack
//   vmsim translate [options]   your page-table image and requests through the RTL, checked
//   vmsim malloc FILE [options] a malloc-lab trace through the allocator (guest, native, glibc)
//
// Exit status: 0 when the run passed, 1 when a checker, data or fault check
// failed (or the run could not be set up), 2 for a bad command line or input.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <systemc>

#include "sw/malloc/ptmalloc.h"
#include "testbench/malloc_replay.h"
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
  uint64_t frames = 0;
  std::string watermarks;
  std::string reclaim = "watermark";
  bool json = false;
  bool svade = false;
  unsigned show_invalid = 5;
  std::string trace_file;
  CLI::Option* accesses_opt = nullptr;
  CLI::Option* frames_opt = nullptr;
  CLI::Option* mem_opt = nullptr;
  CLI::Option* swap_opt = nullptr;
  CLI::Option* mode_opt = nullptr;
};

int bad_usage(const std::string& msg) {
  std::cerr << "vmsim: " << msg << "\n";
  return 2;
}

// "MIN,LOW,HIGH" in frames.
std::optional<vmsim::Watermarks> parse_watermarks(const std::string& s) {
  vmsim::Watermarks w;
  char c1 = 0, c2 = 0;
  std::istringstream in(s);
  if (!(in >> w.min >> c1 >> w.low >> c2 >> w.high) || c1 != ',' || c2 != ',' || !in.eof())
    return std::nullopt;
  return w;
}

// Options `run` and `trace` share: the machine and its memory management.
void add_machine_options(CLI::App* cmd, RunOptions& o) {
  o.mode_opt = cmd->add_option("--mode", o.mode, "paging mode")
                   ->check(CLI::IsMember({"sv32", "sv39", "sv48", "sv57"}))
                   ->capture_default_str();
  cmd->add_option("--mem-latency", o.sim.mem_latency_cycles, "cycles per page-walker memory access")
      ->check(CLI::Range(uint64_t{0}, uint64_t{100'000}))
      ->capture_default_str();
  // 64 GiB at most: the kernel keeps a word per frame, and the direct map
  // must fit the kernel half of the smallest address space.
  o.mem_opt = cmd->add_option("--mem-size", o.mem_mib, "physical memory in MiB (16 .. 65536)")
                  ->check(CLI::Range(uint64_t{16}, uint64_t{65536}))
                  ->capture_default_str();
  o.frames_opt =
      cmd->add_option("--frames", o.frames, "physical memory in 4 KiB frames (instead of --mem-size)")
          ->check(CLI::Range(uint64_t{512}, uint64_t{1} << 24));
  o.swap_opt = cmd->add_option("--swap-slots", o.sim.swap_slots,
                               "swap device size in pages (default: twice the frames, at most 1M)")
                   ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 24));
  cmd->add_option("--swap-latency", o.sim.swap_latency_cycles, "cycles per page the swap device takes")
      ->check(CLI::Range(uint64_t{0}, uint64_t{100'000'000}))
      ->capture_default_str();
  cmd->add_option("--swap-file", o.sim.swap_file,
                  "host file behind the swap device (default: a temporary file)");
  cmd->add_option("--policy", o.sim.policy, "page replacement policy (opt: trace replay only)")
      ->check(CLI::IsMember({"active-inactive", "fifo", "clock", "lru", "opt"}))
      ->capture_default_str();
  cmd->add_option("--watermarks", o.watermarks,
                  "free-frame watermarks MIN,LOW,HIGH (default: from memory size)");
  cmd->add_option("--reclaim", o.reclaim,
                  "watermark: kswapd + direct reclaim; on-demand: evict only when a fault finds no frame")
      ->check(CLI::IsMember({"watermark", "on-demand"}))
      ->capture_default_str();
  cmd->add_option("--user-frames", o.sim.user_frames,
                  "cap on frames holding user pages, page tables aside (0: none)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 28));
  cmd->add_option("--harness", o.harness, "systemc: co-simulation; plain: the same RTL from plain C++")
      ->check(CLI::IsMember({"systemc", "plain"}))
      ->capture_default_str();
  cmd->add_option("--trace", o.sim.trace_path, "write an FST waveform (tracing build only)");
  cmd->add_flag("--json", o.json, "print one JSON object instead of the text report");
}

// Shared checks and defaults; returns an exit status, or -1 to go on.
int finish_machine_options(RunOptions& o, uint64_t default_frames) {
  auto& cfg = o.sim;
  cfg.mode = *vmsim::parse_paging_mode(o.mode);
  if (!o.frames_opt->count() && !o.mem_opt->count() && default_frames) o.frames = default_frames;
  cfg.mem_bytes = o.frames ? o.frames * vmsim::kPageSize : o.mem_mib << 20;
  const uint64_t frames = cfg.mem_bytes / vmsim::kPageSize;
  cfg.reclaim = o.reclaim == "on-demand" ? vmsim::ReclaimMode::kOnDemand : vmsim::ReclaimMode::kWatermark;
  if (!o.watermarks.empty()) {
    auto w = parse_watermarks(o.watermarks);
    if (!w) return bad_usage("--watermarks '" + o.watermarks + "' is not MIN,LOW,HIGH (three frame counts)");
    if (!(w->min < w->low && w->low < w->high))
      return bad_usage("--watermarks " + o.watermarks + ": need MIN < LOW < HIGH");
    if (w->high >= frames) {
      return bad_usage(
          fmt::format("--watermarks {}: HIGH must be below the {} frames of memory", o.watermarks, frames));
    }
    cfg.watermarks = *w;
  }
  if (cfg.mode == vmsim::PagingMode::kSv32 && cfg.mem_bytes > (uint64_t{1} << 30)) {
    return bad_usage(
        fmt::format("--mode sv32 maps memory at 0xC0000000, so memory must be at most 1024 MiB (got {} MiB)",
                    cfg.mem_bytes >> 20));
  }
  if (!cfg.trace_path.empty() && !vmsim::RtlMmuCore::tracing_supported()) {
    return bad_usage(
        "--trace needs the tracing build: cmake -B build-trace -DVMSIM_TRACE=ON (or 'make trace')");
  }
  return -1;
}

int report(const RunOptions& o, const vmsim::SimOutcome& out) {
  if (!out.error.empty()) {
    std::cerr << "vmsim: run failed: " << out.error << "\n";
    return 1;
  }
  const auto& r = out.report;
  if (o.json) {
    auto j = r.to_json();
    if (!out.first_mismatch.empty()) j["check.first_mismatch"] = out.first_mismatch;
    for (const std::string* e : {&r.workload.first_error, &r.overcommit.first_error, &r.trace.first_error}) {
      if (!e->empty()) j["check.first_error"] = *e;
    }
    std::cout << j.dump(2) << "\n";
  } else {
    r.print_text(std::cout, out.first_mismatch);
    const size_t n = std::min<size_t>(o.show_invalid, out.invalid_log.size());
    if (n > 0) std::cout << fmt::format("  first {} invalid accesses (reported like a segfault):\n", n);
    for (size_t i = 0; i < n; ++i) {
      const auto& f = out.invalid_log[i];
      std::cout << fmt::format("    pid {} {} {} va 0x{:x}: {}: {}\n", f.pid, vmsim::to_string(f.priv),
                               vmsim::to_string(f.access), f.va.value(), vmsim::to_string(f.cause), f.reason);
    }
  }
  return r.passed() ? 0 : 1;
}

vmsim::SimOutcome simulate(const RunOptions& o) {
  return o.harness == "plain" ? vmsim::run_plain(o.sim) : vmsim::run_cosim(o.sim);
}

int do_run(RunOptions& o) {
  auto& cfg = o.sim;
  const bool overcommit = cfg.workload_name == "overcommit";
  // The overcommit workload wants a small memory, so that four times it is
  // quick to touch, and swap that cannot hold everything, so the OOM killer
  // has work too.
  if (const int st = finish_machine_options(o, overcommit ? 2048 : 0); st >= 0) return st;
  cfg.workload.pattern = *vmsim::parse_pattern(o.pattern);  // validated by CLI11
  const uint64_t frames = cfg.mem_bytes / vmsim::kPageSize;
  if (!o.swap_opt->count()) cfg.swap_slots = std::min<uint64_t>(2 * frames, uint64_t{1} << 20);
  cfg.overcommit.accesses = overcommit && !o.accesses_opt->count() ? 200'000 : cfg.workload.accesses;
  if (cfg.workload_name == "malloc" && !o.accesses_opt->count())
    cfg.workload.accesses = 20'000;  // allocator calls
  cfg.overcommit.seed = cfg.workload.seed;
  cfg.svadu = cfg.svadu && !o.svade;
  if (cfg.policy == "opt")
    return bad_usage("--policy opt needs the future reference string: use it with 'vmsim trace'");
  const uint64_t needed_mib = (cfg.workload.pages * vmsim::kPageSize >> 20) + 2 * cfg.workload.huge_pages + 8;
  if (cfg.workload_name == "basic" && needed_mib > (cfg.mem_bytes >> 20)) {
    return bad_usage(fmt::format("--pages {} with {} huge pages needs about {} MiB, but memory is {} MiB",
                                 cfg.workload.pages, cfg.workload.huge_pages, needed_mib,
                                 cfg.mem_bytes >> 20));
  }
  return report(o, simulate(o));
}

struct MallocOptions {
  RunOptions machine;
  std::string file;
  bool native = false, glibc = false;
  double seconds = 0.5;
  uint64_t top_pad = vmsim::pm::kDefaultTopPad;
};

// vmsim malloc: in guest memory through the MMU (default), or natively on
// the host (--native) and/or with glibc (--glibc) for comparison.
int do_malloc(MallocOptions& mo) {
  RunOptions& o = mo.machine;
  std::ifstream in(mo.file);
  if (!in) return bad_usage("cannot open trace '" + mo.file + "'");
  std::string err;
  auto trace = vmsim::parse_malloc_trace(in, mo.file, err);
  if (!trace) return bad_usage(err);
  if (trace->ops.empty()) return bad_usage("trace '" + mo.file + "' has no operations");
  if (!mo.native && !mo.glibc) {
    if (const int st = finish_machine_options(o, 0); st >= 0) return st;
    o.sim.workload_name = "malloc-trace";
    o.sim.malloc_trace = std::make_shared<vmsim::MallocTrace>(std::move(*trace));
    if (!o.swap_opt->count())
      o.sim.swap_slots = std::min<uint64_t>(2 * (o.sim.mem_bytes / vmsim::kPageSize), uint64_t{1} << 20);
    return report(o, simulate(o));
  }
  nlohmann::json j{{"trace", mo.file}, {"ops", trace->ops.size()}};
  bool passed = true;
  if (mo.native) {
    vmsim::NativeHeap heap;
    vmsim::Ptmalloc<vmsim::NativeHeap> a(heap);
    a.mallopt(vmsim::MallOpt::kTopPad, mo.top_pad);
    const vmsim::ReplayResult r = vmsim::replay_checked(a, *trace, false);
    j["utilization"] = r.utilization;
    j["peak_payload"] = r.peak_payload;
    j["peak_heap"] = r.peak_heap;
    j["integrity_errors"] = r.integrity_errors;
    j.update(vmsim::allocator_figures(a));
    if (!r.first_error.empty()) j["first_error"] = r.first_error;
    passed = r.integrity_errors == 0 && !r.allocator_error;
  }
  // Throughput: three rounds, alternating the allocators so both see the
  // same machine; each keeps its best round (the machines are shared).
  double best_native = 0, best_glibc = 0;
  for (int round = 0; round < 3; ++round) {
    if (mo.native)
      best_native = std::max(best_native, vmsim::time_native(*trace, mo.seconds / 3, mo.top_pad).ops_per_s());
    if (mo.glibc) best_glibc = std::max(best_glibc, vmsim::time_glibc(*trace, mo.seconds / 3).ops_per_s());
  }
  if (mo.native) j["ops_per_s"] = best_native;
  if (mo.glibc) {
    j["glibc.ops_per_s"] = best_glibc;
    if (!mo.native) j["ops_per_s"] = best_glibc;
    if (mo.native) j["native_vs_glibc"] = best_native / best_glibc;
  }
  if (o.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fmt::format("vmsim malloc: {} ({} operations)\n", mo.file, trace->ops.size());
    if (mo.native) {
      std::cout << fmt::format(
          "  native: utilization {:.3f} (peak payload {} / peak heap {}), {:.0f} ops/s, {} integrity "
          "errors\n",
          j["utilization"].get<double>(), j["peak_payload"].get<uint64_t>(), j["peak_heap"].get<uint64_t>(),
          j["ops_per_s"].get<double>(), j["integrity_errors"].get<uint64_t>());
      if (j.contains("first_error"))
        std::cout << "  first error: " << j["first_error"].get<std::string>() << "\n";
    }
    if (mo.glibc) std::cout << fmt::format("  glibc:  {:.0f} ops/s\n", j["glibc.ops_per_s"].get<double>());
    if (mo.native && mo.glibc)
      std::cout << fmt::format("  native / glibc throughput: {:.2f}\n", j["native_vs_glibc"].get<double>());
    std::cout << (passed ? "PASS\n" : "FAIL\n");
  }
  return passed ? 0 : 1;
}

int do_trace(RunOptions& o) {
  auto& cfg = o.sim;
  // Lackey traces of x86-64 programs use addresses up to 47 bits: Sv48's user half.
  if (!o.mode_opt->count()) o.mode = "sv48";
  if (const int st = finish_machine_options(o, 0); st >= 0) return st;
  std::ifstream in(o.trace_file);
  if (!in) return bad_usage("cannot open trace '" + o.trace_file + "'");
  std::optional<vmsim::TraceError> err;
  auto trace = vmsim::parse_lackey(in, o.trace_file, err);
  if (!trace) return bad_usage(err->message);
  if (trace->refs.empty()) return bad_usage("trace '" + o.trace_file + "' has no accesses");
  auto shared = std::make_shared<vmsim::LackeyTrace>(std::move(*trace));
  cfg.workload_name = "trace";
  cfg.trace = shared;
  // Hardware A/D (Svadu) unless asked otherwise: then A-bit aging costs no
  // faults and page-in counts are the classic ones.
  cfg.svadu = !o.svade;
  if (!o.swap_opt->count()) cfg.swap_slots = shared->distinct_pages() + 64;  // room for every page
  return report(o, simulate(o));
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  // SystemC's informational messages ("simulation stopped by user") would
  // break --json output; warnings and errors still reach stderr.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  CLI::App app{"vmsim: an RTL MMU (TLB + page walker) co-simulated with SystemC, under a guest OS runtime"};
  app.require_subcommand(1);

  RunOptions run;
  auto* cmd =
      app.add_subcommand("run", "run a built-in workload through the RTL MMU, every translation checked");
  cmd->add_option(
         "--workload", run.sim.workload_name,
         "basic: one process, every page size; overcommit: processes needing 4x memory (swap, reclaim, OOM); "
         "malloc: the allocator in a guest process")
      ->check(CLI::IsMember({"basic", "overcommit", "malloc"}))
      ->capture_default_str();
  run.accesses_opt = cmd->add_option("--accesses", run.sim.workload.accesses,
                                     "guest memory accesses to make (overcommit: 200000 unless given)")
                         ->check(CLI::Range(uint64_t{1}, uint64_t{10'000'000'000}))
                         ->capture_default_str();
  cmd->add_option("--pages", run.sim.workload.pages, "4 KiB pages in the basic workload's heap")
      ->check(CLI::Range(uint64_t{1}, uint64_t{16'777'216}))
      ->capture_default_str();
  cmd->add_option("--huge-pages", run.sim.workload.huge_pages,
                  "level-1 pages in the basic workload's huge-page region")
      ->check(CLI::Range(0u, 4096u))
      ->capture_default_str();
  cmd->add_option("--pattern", run.pattern, "the basic workload's access pattern")
      ->check(CLI::IsMember({"sequential", "random", "strided", "mixed"}))
      ->capture_default_str();
  cmd->add_option("--processes", run.sim.overcommit.processes, "processes in the overcommit workload")
      ->check(CLI::Range(1u, 64u))
      ->capture_default_str();
  cmd->add_option("--seed", run.sim.workload.seed, "random seed (runs are reproducible)")
      ->capture_default_str();
  cmd->add_flag("--svadu", run.sim.svadu, "hardware sets A/D bits (Svadu) instead of faulting (Svade)");
  cmd->add_option("--show-invalid", run.show_invalid, "invalid accesses to list in the text report")
      ->check(CLI::Range(0u, 64u))
      ->capture_default_str();
  add_machine_options(cmd, run);

  RunOptions tr;
  auto* tcmd_trace =
      app.add_subcommand("trace", "replay a valgrind lackey trace through the RTL MMU and the runtime");
  tcmd_trace->add_option("FILE", tr.trace_file, "lackey trace (valgrind --tool=lackey --trace-mem=yes)")
      ->required();
  tcmd_trace->add_flag("--svade", tr.svade,
                       "software A/D (faults) instead of the default hardware updates (Svadu)");
  tcmd_trace->add_option("--show-invalid", tr.show_invalid, "invalid accesses to list")
      ->check(CLI::Range(0u, 64u));
  add_machine_options(tcmd_trace, tr);

  MallocOptions mo;
  auto* mcmd =
      app.add_subcommand("malloc", "replay a malloc-lab trace (.rep) through the ptmalloc-style allocator");
  mcmd->add_option("FILE", mo.file, "CS:APP malloc-lab format: header, then 'a id size', 'r id size', 'f id'")
      ->required();
  mcmd->add_flag("--native", mo.native, "run the same allocator on host memory (utilization and throughput)");
  mcmd->add_flag("--glibc", mo.glibc, "time glibc's malloc on the same trace (with --native: the ratio)");
  mcmd->add_option("--top-pad", mo.top_pad,
                   "bytes added to every brk growth (M_TOP_PAD; glibc's default is 128 KiB)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 30))
      ->capture_default_str();
  mcmd->add_option("--seconds", mo.seconds, "minimum time for each throughput measurement")
      ->check(CLI::Range(0.01, 60.0))
      ->capture_default_str();
  add_machine_options(mcmd, mo.machine);

  vmsim::TranslateOptions tro;
  std::string satp_text;
  auto* tcmd = app.add_subcommand("translate", "translate requests against a physical-memory image, checked");
  tcmd->add_option("--image", tro.image_path, "memory image: lines 'ADDR VALUE' (hex)")
      ->required()
      ->check(CLI::ExistingFile);
  tcmd->add_option("--satp", satp_text, "initial satp (hex)")->required();
  tcmd->add_option("--requests", tro.requests_path,
                   "requests: 'VA r|w|x u|s', 'satp HEX', 'sfence VA|* ASID|*', 'mem ADDR VALUE'")
      ->required()
      ->check(CLI::ExistingFile);
  tcmd->add_option("--xlen", tro.xlen, "32 (Sv32) or 64 (Sv39/48/57)")
      ->check(CLI::IsMember({32u, 64u}))
      ->capture_default_str();
  tcmd->add_flag("--svadu", tro.svadu, "hardware A/D updates (Svadu) instead of faults (Svade)");
  tcmd->add_flag("--sum", tro.sum, "sstatus.SUM: S-mode loads/stores may touch U pages");
  tcmd->add_flag("--mxr", tro.mxr, "sstatus.MXR: loads may read executable pages");
  tcmd->add_option("--dump-image", tro.dump_image_path,
                   "write memory (image and stores, A/D updates included) here");
  tcmd->add_option("--trace", tro.trace_path, "write an FST waveform (tracing build only)");
  tcmd->add_option("--mem-size", tro.mem_mib, "physical memory in MiB; PTEs above it are access faults")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 24))
      ->capture_default_str();
  tcmd->add_flag("-v,--verbose", tro.verbose, "also say whether each answer came from the TLB or a walk");

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
    if (tcmd_trace->parsed()) return do_trace(tr);
    if (mcmd->parsed()) return do_malloc(mo);
    if (tcmd->parsed()) {
      const auto satp = vmsim::parse_hex(satp_text);
      if (!satp) return bad_usage("--satp '" + satp_text + "' is not a hex number of at most 64 bits");
      tro.satp = *satp;
      if (!tro.trace_path.empty() && !vmsim::RtlMmuCore::tracing_supported()) {
        return bad_usage(
            "--trace needs the tracing build: cmake -B build-trace -DVMSIM_TRACE=ON (or 'make trace')");
      }
      return vmsim::run_translate(tro, std::cout, std::cerr);
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
