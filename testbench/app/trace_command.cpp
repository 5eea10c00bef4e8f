// trace_command.cpp: `vmsim trace FILE`, a valgrind lackey trace replayed
// through the RTL MMU and the runtime.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include "testbench/analysis/tlb_curve.h"
#include "testbench/app/commands.h"
#include "testbench/app/fast_trace.h"
#include "testbench/app/progress_bar.h"
#include "testbench/workloads/trace_workload.h"

namespace vmsim {

namespace {

struct TraceOptions {
  MachineOptions machine;
  std::string file;
  std::string format = "auto";
  bool tlb_curve = false;
  bool curve_opt = true;
  bool quiet = false;
  PhaseOptions phases;
  std::string page_size = "4k";
  bool premap = false;
  bool fast = false;
  std::vector<unsigned> curve_entries = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
};

// --tlb-curve: the trace's 4 KiB page references through fully associative
// TLBs of each size, LRU (one streamed pass) and OPT; no simulation. OPT needs
// the future, so it alone holds the page string in memory.
int print_tlb_curve(const TraceOptions& o, TraceReader& r) {
  LruStackDistances lru;
  std::vector<uint64_t> pages;
  std::vector<TraceRef> block(1 << 14);
  while (const size_t k = r.read(block.data(), block.size())) {
    for (size_t i = 0; i < k; ++i) {
      const uint64_t page = block[i].addr >> kPageShift;
      lru.access(page);
      if (o.curve_opt) pages.push_back(page);
    }
  }
  if (!r.error().empty()) return bad_usage(r.error());
  const std::vector<uint64_t> lru_m = lru.misses(o.curve_entries);
  const double n = double(std::max<uint64_t>(lru.references(), 1));
  std::cout << fmt::format("vmsim trace {}: {} page references, {} distinct 4 KiB pages\n", o.file,
                           lru.references(), lru.distinct());
  std::cout << fmt::format("{:>8} {:>12} {:>9}", "entries", "LRU misses", "LRU rate");
  if (o.curve_opt) std::cout << fmt::format(" {:>12} {:>9}", "OPT misses", "OPT rate");
  std::cout << "\n";
  for (size_t i = 0; i < o.curve_entries.size(); ++i) {
    std::cout << fmt::format("{:>8} {:>12} {:>9.5f}", o.curve_entries[i], lru_m[i], double(lru_m[i]) / n);
    if (o.curve_opt) {
      const uint64_t opt = opt_misses(pages, o.curve_entries[i]);
      std::cout << fmt::format(" {:>12} {:>9.5f}", opt, double(opt) / n);
    }
    std::cout << "\n";
  }
  return 0;
}

// --warmup must leave references to measure; --interval must not make more
// rows than a report can hold. -1 when both are fine, else the exit status.
int check_phases(const PhaseOptions& p, const TraceSummary& summary) {
  if (p.warmup >= summary.references) {
    return bad_usage(fmt::format("--warmup {} leaves nothing to measure: the trace has {} references",
                                 p.warmup, summary.references));
  }
  // One JSON row per interval: bounded, so a tiny --interval cannot fill memory.
  constexpr uint64_t kMaxIntervals = 100'000;
  if (p.interval && (summary.references - p.warmup) / p.interval >= kMaxIntervals) {
    return bad_usage(fmt::format(
        "--interval {} makes more than {} rows of the trace's {} references after warm-up; use --interval {} "
        "or more",
        p.interval, kMaxIntervals, summary.references - p.warmup,
        (summary.references - p.warmup) / kMaxIntervals + 1));
  }
  return -1;
}

// --premap (and --page-size 2m, which implies it): the pages the trace
// touches (one more pass over it), and memory to hold them. -1 when fine,
// else the exit status.
int plan_premap(TraceOptions& o, TraceFormat format, TraceInput& in) {
  in.premapped = o.premap || o.page_size == "2m";
  if (!in.premapped) return -1;
  in.page_level = o.page_size == "2m" ? 1 : 0;
  MachineOptions& m = o.machine;
  std::string err;
  const uint64_t size = page_size(*parse_paging_mode(m.mode), in.page_level);
  auto reader = open_trace(o.file, format, err);
  auto pages = reader ? pages_touched(*reader, size, err) : std::nullopt;
  if (!pages) return bad_usage(err);
  in.pages = std::move(*pages);
  // Every page whole, plus room for the page tables.
  const uint64_t frames = in.pages.size() * (size / kPageSize) + 4096;
  const bool sized = m.mem_opt->count() || m.frames_opt->count();
  const uint64_t have = !sized     ? (uint64_t{65536} << 20) / kPageSize
                        : m.frames ? m.frames
                                   : (m.mem_mib << 20) / kPageSize;
  if (have < frames) {
    return bad_usage(
        fmt::format("{}: the trace touches {} pages of {} KiB, which need {} MiB; memory is {} MiB{}",
                    in.page_level ? "--page-size 2m" : "--premap", in.pages.size(), size >> 10,
                    (frames * kPageSize) >> 20, (have * kPageSize) >> 20, sized ? "" : " at most"));
  }
  if (!sized) m.frames = frames;
  return -1;
}

int run_tlb_curve(const TraceOptions& o, TraceFormat format) {
  std::string err;
  auto reader = open_trace(o.file, format, err);
  if (!reader) return bad_usage(err);
  return print_tlb_curve(o, *reader);
}

// What --fast cannot do: it has no kernel and takes one reference at a time.
int check_fast_options(const TraceOptions& o) {
  if (o.fast && o.machine.thp == "always")
    return bad_usage("--thp always needs the kernel: --fast replays on premapped pages (see --page-size)");
  if (o.fast && o.machine.sim.driver.window > 1)
    return bad_usage("--window needs the RTL: --fast models one at a time");
  return -1;
}

// Finishes the machine with swap room `swap`. With --fast a --config is
// read as a file (its hierarchy is all the replay needs), not built. -1 or an
// exit status.
int finish_trace_machine(MachineOptions& m, bool fast, uint64_t swap, std::optional<MmuConfig>& config) {
  if (fast && !m.config.empty()) {
    std::string err;
    config = load_mmu_config(m.config, err);
    if (!config) return bad_usage(err);
  }
  const std::string path = std::exchange(m.config, config ? std::string() : m.config);
  const int st = finish_machine_options(m, 0, swap);
  m.config = path;
  return st;
}

int run(TraceOptions& o) {
  MachineOptions& m = o.machine;
  // Lackey traces of x86-64 programs use addresses up to 47 bits: Sv48's user half.
  if (!m.mode_opt->count()) m.mode = "sv48";
  const std::optional<TraceFormat> format = parse_trace_format(o.format);
  if (!format) return bad_usage("--format must be auto, lackey, champsim or vmsim, not '" + o.format + "'");
  if (o.tlb_curve) return run_tlb_curve(o, *format);
  std::string err;
  if (o.file == "-")
    return bad_usage(
        "a replay reads the trace twice, so it cannot come from standard input; "
        "only --tlb-curve reads '-'");
  // One pass first (or the binary header): the input is checked whole before
  // the run, and the machine is sized from it.
  const std::optional<TraceSummary> summary = summarize_file(o.file, *format, err);
  if (!summary) return bad_usage(err);
  if (summary->references == 0) return bad_usage("trace '" + o.file + "' has no accesses");
  const uint64_t top = trace_user_top(*parse_paging_mode(m.mode));
  if (summary->has_range && summary->max_addr >= top) {
    const auto at = find_first_at_or_above(o.file, *format, top);
    return bad_usage(
        fmt::format("{}: address 0x{:x} is outside the user half of {} (below 0x{:x}){}",
                    at ? at->where : o.file, at ? at->ref.addr : summary->max_addr, m.mode, top,
                    m.mode == "sv57" || m.mode == "sv32" ? "" : "; --mode sv57 has the largest"));
  }
  if (const int st = check_phases(o.phases, *summary); st >= 0) return st;
  if (const int st = check_fast_options(o); st >= 0) return st;
  if (!o.fast && !o.quiet) {
    note_long_run(summary->references, "references", 1e6, "--fast replays them on the reference model alone");
  }
  auto bar = std::make_shared<ProgressBar>(summary->references, "references", !o.quiet);
  TraceInput input{[file = o.file, f = *format] {
                     std::string e;
                     return open_trace(file, f, e);
                   },
                   *summary, [bar](uint64_t done) { bar->update(done); }, o.phases};
  if (o.fast) {  // it stands for a premapped replay, and counts the pages itself (no memory to size)
    input.premapped = true;
    input.page_level = o.page_size == "2m" ? 1 : 0;
  } else if (const int st = plan_premap(o, *format, input); st >= 0) {
    return st;
  }
  // Swap room for every page the trace touches, up to 1 M slots (4 GiB, as
  // the machine's own default): a header or a trace cannot make vmsim write
  // more unless --swap-slots asks.
  const uint64_t swap = std::min<uint64_t>(summary->distinct_pages + 64, uint64_t{1} << 20);
  std::optional<MmuConfig> config;
  if (const int st = finish_trace_machine(m, o.fast, swap, config); st >= 0) return st;
  input.window = m.sim.driver.window;
  m.sim.workload = std::make_shared<TraceWorkload>(std::move(input));
  m.sim.command = "trace";
  // Hardware A/D (Svadu) unless asked otherwise: then A-bit aging costs no
  // faults and page-in counts are the classic ones.
  m.sim.svadu = !m.svade;
  if (const int st = check_policy(m); st >= 0) return st;
  if (o.fast)
    return run_fast_trace(m, std::static_pointer_cast<TraceWorkload>(m.sim.workload)->input(), config);
  return simulate_and_report(m);
}

}  // namespace

Command add_trace_command(CLI::App& app) {
  auto o = std::make_shared<TraceOptions>();
  CLI::App* cmd =
      app.add_subcommand("trace", "replay a valgrind lackey trace through the RTL MMU and the runtime");
  cmd->add_option(
         "FILE", o->file,
         "the trace: valgrind lackey text, a ChampSim trace or a vmsim binary trace (vmsim convert), "
         "each possibly gzip, xz or zstd compressed (- reads standard input, with --tlb-curve)")
      ->required();
  cmd->add_option("--format", o->format,
                  "auto (a vmsim binary trace by its magic, ChampSim when the name contains .champsim, "
                  "else lackey), lackey, champsim or vmsim")
      ->capture_default_str();
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
  cmd->add_flag("--quiet", o->quiet,
                "no progress bar (it shows on a terminal when a replay takes more than two seconds)");
  cmd->add_flag("!--no-opt", o->curve_opt,
                "--tlb-curve without the OPT column, which needs the page string in memory (8 bytes per "
                "reference); the LRU curve streams");
  cmd->add_option(
         "--page-size", o->page_size,
         "4k: pages fault in lazily, 4 KiB each; 2m: every 2 MiB range the trace touches (4 MiB in sv32) "
         "is one superpage, mapped before the replay (memory is sized to hold them)")
      ->check(CLI::IsMember({"4k", "2m"}))
      ->capture_default_str();
  cmd->add_flag(
      "--premap", o->premap,
      "map every page the trace touches before the replay (A and D set, never reclaimed), so it takes "
      "no page fault and measures the TLBs alone");
  cmd->add_flag(
      "--fast", o->fast,
      "the reference model of the MMU's TLBs alone, no RTL and no kernel: the figures of a --premap "
      "replay on the RTL, many times faster");
  cmd->add_option(
         "--window", o->machine.sim.driver.window,
         "translations kept in flight: each run of N references is translated together, so a later "
         "one can hit under an earlier miss or merge with it (an MMU with several walkers and slots, "
         "--config; hit and miss are then checked against the spec, not predicted)")
      ->check(CLI::Range(1u, 16u))
      ->capture_default_str();
  cmd->add_option("--warmup", o->phases.warmup,
                  "references that warm the TLBs up before the MMU, TLB and walk figures start counting")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 62));
  cmd->add_option(
         "--interval", o->phases.interval,
         "also report the MMU's figures for every N references (after warm-up): the JSON's \"intervals\"")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 62));
  add_machine_options(cmd, o->machine);
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
