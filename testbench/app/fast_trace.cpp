#include "testbench/app/fast_trace.h"

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "model/rtl_mmu_core.h"
#include "testbench/analysis/fast_replay.h"
#include "testbench/app/commands.h"
#include "testbench/harness/run_report.h"

namespace vmsim {

namespace {

// A walker memory that is never asked: the device is loaded only to read
// the hierarchy it declares.
struct NoWalkerMemory final : WalkerMemory {
  WalkerResponse access(const WalkerRequest&, uint64_t) override { return {}; }
};

RunReport report_of(const MachineOptions& o, const TraceInput& in, const DeviceInfo& info,
                    const FastReplayResult& f, double seconds) {
  RunReport r;
  r.command = "trace";
  r.harness = "functional";
  r.workload_name = "trace";
  r.description = "trace workload, fast: the reference model alone";
  r.policy = o.sim.policy;
  r.mode = std::string(to_string(o.sim.mode));
  r.tlb_entries = info.tlb_entries;
  r.tlb = info.tlb.describe();
  r.hierarchy = info.tlb;
  r.tlb_counts = f.tlb;
  r.mem_latency_cycles = o.sim.mem_latency_cycles;
  r.seed = o.sim.seed;
  r.mmu = f.mmu;
  r.check = f.check;
  r.sim_cycles = f.cycles;
  r.sim_time_ns = double(f.cycles);  // 1 GHz
  r.wall_seconds = seconds;
  const uint64_t refs = f.loads + f.stores + f.fetches;
  r.workload.figures = {{"trace.lines", in.summary.lines},
                        {"trace.references", refs},
                        {"trace.distinct_pages", in.summary.distinct_pages},
                        {"trace.page_level", in.page_level},
                        {"trace.premapped_pages", f.pages_premapped},
                        {"accesses.loads", f.loads},
                        {"accesses.stores", f.stores},
                        {"accesses.fetches", f.fetches}};
  r.workload.lines.push_back(fmt::format(
      "  trace              {} page references ({} loads, {} stores, {} fetches), {} pages of {} KiB, "
      "premapped; no RTL, no kernel",
      refs, f.loads, f.stores, f.fetches, f.pages_premapped, page_size(o.sim.mode, in.page_level) >> 10));
  r.workload.input_error = f.error;
  return r;
}

// The hierarchy a device library declares, loaded for that alone. -1 or an
// exit status.
int device_hierarchy(const MachineOptions& o, DeviceInfo& info) {
  NoWalkerMemory none;
  try {
    const RtlMmuCore core(none, DeviceSpec{o.sim.device, xlen_of(o.sim.mode), {}, {}});
    info = core.info();
  } catch (const std::exception& e) {
    return bad_usage(std::string("--fast: ") + e.what());
  }
  return -1;
}

}  // namespace

int run_fast_trace(const MachineOptions& o, const TraceInput& in, const std::optional<MmuConfig>& config) {
  DeviceInfo info;
  if (config) {
    if (config->xlen != xlen_of(o.sim.mode)) {
      return bad_usage(fmt::format("--config {}: an RV{} MMU cannot translate {}", o.config, config->xlen,
                                   to_string(o.sim.mode)));
    }
    info.name = config->name;
    info.xlen = config->xlen;
    info.organization = "vmsim";
    info.tlb = config->tlb;
    info.tlb_entries = config->tlb.entries();
  } else if (const int st = device_hierarchy(o, info); st >= 0) {
    return st;
  }
  if (info.organization != "vmsim")
    return bad_usage("--fast models vmsim's own TLBs; the device " + info.name + " does not declare them");
  auto reader = in.open();
  if (!reader) return bad_usage("--fast: cannot open the trace");
  const auto t0 = std::chrono::steady_clock::now();
  WorkloadResult phases;
  const FastReplayResult f = fast_replay(
      *reader, {info.tlb, o.sim.mode, in.page_level, o.sim.mem_latency_cycles}, in.phases, phases);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RunReport r = report_of(o, in, info, f, s);
  r.workload.figures.update(phases.figures);
  for (const std::string& line : phases.lines) r.workload.lines.push_back(line);
  if (!f.error.empty()) return bad_usage(f.error);
  if (o.json) {
    std::cout << r.to_json().dump(2) << "\n";
  } else {
    r.print_text(std::cout, "");
  }
  return r.passed() ? 0 : 1;
}

}  // namespace vmsim
