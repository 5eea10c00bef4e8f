// malloc_command.cpp: `vmsim malloc FILE`, a malloc-lab trace through the
// ptmalloc-style allocator: in guest memory through the MMU (default), or on
// the host (--native) and/or with glibc (--glibc) for comparison.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "testbench/app/commands.h"
#include "testbench/app/glibc_heap.h"
#include "testbench/app/option_checks.h"
#include "testbench/workloads/malloc_replay.h"
#include "testbench/workloads/malloc_workload.h"

namespace vmsim {

namespace {

struct MallocOptions {
  MachineOptions machine;
  std::string file;
  bool native = false, glibc = false;
  double seconds = 0.5;
  uint64_t top_pad = pm::kDefaultTopPad;
};

// The same allocator on host memory: checked replay, then throughput.
bool run_native(const MallocOptions& mo, const MallocTrace& trace, nlohmann::json& j) {
  NativeHeap heap;
  Ptmalloc<NativeHeap> a(heap);
  // Only a pad other than the default is a mallopt call: like glibc's, it
  // fixes the mmap threshold.
  if (mo.top_pad != pm::kDefaultTopPad) a.mallopt(MallOpt::kTopPad, mo.top_pad);
  const ReplayResult r = replay_checked(a, trace, false);
  j["utilization"] = r.utilization;
  j["peak_payload"] = r.peak_payload;
  j["peak_heap"] = r.peak_heap;
  j["integrity_errors"] = r.integrity_errors;
  j.update(allocator_figures(a));
  if (!r.first_error.empty()) j["first_error"] = r.first_error;
  return r.integrity_errors == 0 && !r.allocator_error;
}

// Throughput: three rounds, alternating the allocators so both see the
// same machine; each keeps its best round (the machines are shared). glibc
// runs in a process of its own (vmsim-glibc-heap), where nothing but the
// trace has touched its heap.
bool time_both(const MallocOptions& mo, const MallocTrace& trace, nlohmann::json& j, std::string& err) {
  double best_native = 0, best_glibc = 0;
  for (int round = 0; round < 3; ++round) {
    if (mo.native)
      best_native = std::max(best_native, time_native(trace, mo.seconds / 3, mo.top_pad).ops_per_s());
    if (mo.glibc) {
      const std::optional<double> g = glibc_ops_per_s(trace, mo.top_pad, mo.seconds / 3, err);
      if (!g) return false;
      best_glibc = std::max(best_glibc, *g);
    }
  }
  if (mo.native) j["ops_per_s"] = best_native;
  if (mo.glibc) {
    j["glibc.ops_per_s"] = best_glibc;
    if (!mo.native) j["ops_per_s"] = best_glibc;
    if (mo.native) j["native_vs_glibc"] = best_native / best_glibc;
  }
  return true;
}

void print_host_text(const MallocOptions& mo, const MallocTrace& trace, const nlohmann::json& j,
                     bool passed) {
  std::cout << fmt::format("vmsim malloc: {} ({} operations)\n", mo.file, trace.ops.size());
  if (mo.native) {
    std::cout << fmt::format(
        "  native: utilization {:.3f} (peak payload {} / peak heap {}), {:.0f} ops/s, {} integrity errors\n",
        j["utilization"].get<double>(), j["peak_payload"].get<uint64_t>(), j["peak_heap"].get<uint64_t>(),
        j["ops_per_s"].get<double>(), j["integrity_errors"].get<uint64_t>());
    if (j.contains("first_error"))
      std::cout << "  first error: " << j["first_error"].get<std::string>() << "\n";
  }
  if (mo.glibc) {
    std::cout << fmt::format("  glibc:  utilization {:.3f} (peak payload {} / peak heap {}), {:.0f} ops/s\n",
                             j["glibc.utilization"].get<double>(), trace.peak_live_bytes,
                             j["glibc.peak_heap"].get<uint64_t>(), j["glibc.ops_per_s"].get<double>());
  }
  if (mo.native && mo.glibc) {
    std::cout << fmt::format("  native / glibc throughput: {:.2f}\n", j["native_vs_glibc"].get<double>());
  }
  std::cout << (passed ? "PASS\n" : "FAIL\n");
}

int run_on_host(const MallocOptions& mo, const MallocTrace& trace) {
  nlohmann::json j{{"trace", mo.file}, {"ops", trace.ops.size()}};
  const bool passed = mo.native ? run_native(mo, trace, j) : true;
  if (mo.glibc) {
    std::string err;
    const std::optional<uint64_t> peak = glibc_peak_heap(trace, mo.top_pad, err);
    if (!peak) return bad_usage("--glibc: " + err);
    j["glibc.peak_heap"] = *peak;
    j["glibc.utilization"] = *peak ? double(trace.peak_live_bytes) / double(*peak) : 0.0;
    if (mo.native)
      j["utilization_vs_glibc"] = j["utilization"].get<double>() / j["glibc.utilization"].get<double>();
  }
  if (std::string err; !time_both(mo, trace, j, err)) return bad_usage("--glibc: " + err);
  if (mo.machine.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    print_host_text(mo, trace, j, passed);
  }
  return passed ? 0 : 1;
}

// A trace replayed on the host fills every block it allocates: the most
// payload live at once that the host is asked to hold.
constexpr uint64_t kMaxHostLiveBytes = uint64_t{2} << 30;

int run(MallocOptions& mo) {
  std::ifstream in(mo.file);
  if (!in) return bad_usage("cannot open trace '" + mo.file + "'");
  std::string err;
  auto trace = parse_malloc_trace(in, mo.file, err);
  if (!trace) return bad_usage(err);
  if (trace->ops.empty()) return bad_usage("trace '" + mo.file + "' has no operations");
  if ((mo.native || mo.glibc) && trace->peak_live_bytes > kMaxHostLiveBytes) {
    return bad_usage(fmt::format(
        "{}: --native: the trace holds up to {} MiB of blocks at once, which the host would have to hold and "
        "fill; at most {} MiB (kMaxHostLiveBytes in testbench/app/malloc_command.cpp)",
        mo.file, trace->peak_live_bytes >> 20, kMaxHostLiveBytes >> 20));
  }
  if (mo.native || mo.glibc) return run_on_host(mo, *trace);
  MachineOptions& m = mo.machine;
  if (const int st = finish_machine_options(m, 0); st >= 0) return st;
  m.sim.workload = std::make_shared<MallocTraceWorkload>(
      std::make_shared<const MallocTrace>(std::move(*trace)), mo.top_pad);
  if (const int st = check_policy(m); st >= 0) return st;
  return simulate_and_report(m);
}

}  // namespace

Command add_malloc_command(CLI::App& app) {
  auto o = std::make_shared<MallocOptions>();
  CLI::App* cmd =
      app.add_subcommand("malloc", "replay a malloc-lab trace (.rep) through the ptmalloc-style allocator");
  cmd->add_option("FILE", o->file, "CS:APP malloc-lab format: header, then 'a id size', 'r id size', 'f id'")
      ->required();
  cmd->add_flag("--native", o->native, "run the same allocator on host memory (utilization and throughput)");
  cmd->add_flag("--glibc", o->glibc, "time glibc's malloc on the same trace (with --native: the ratio)");
  cmd->add_option("--top-pad", o->top_pad,
                  "bytes added to every brk growth (M_TOP_PAD; glibc's default is 128 KiB)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 30))
      ->capture_default_str();
  cmd->add_option("--seconds", o->seconds, "minimum time for each throughput measurement")
      ->check(finite_range(0.01, 60.0))
      ->capture_default_str();
  add_machine_options(cmd, o->machine);
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
