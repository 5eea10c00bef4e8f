#include "testbench/harness/simulation.h"

#include <chrono>
#include <exception>
#include <memory>

#include "model/file_store.h"
#include "model/file_swap_backend.h"
#include "testbench/harness/plain_machine.h"
#include "testbench/harness/warmup_probe.h"

namespace vmsim {

namespace {

RuntimeConfig runtime_config(const SimConfig& cfg) {
  RuntimeConfig rcfg;
  rcfg.mode = cfg.mode;
  rcfg.control.svadu = cfg.svadu;
  rcfg.policy = cfg.policy;
  rcfg.watermarks = cfg.watermarks;
  rcfg.reclaim = cfg.reclaim;
  rcfg.user_frames = cfg.user_frames;
  rcfg.swappiness = cfg.swappiness;
  rcfg.thp = cfg.thp;
  rcfg.nodes = cfg.nodes;
  rcfg.numa_policy = cfg.numa_policy;
  std::shared_ptr<const Workload> w = cfg.workload;
  rcfg.future = [w] { return w->next_use(); };
  return rcfg;
}

// What ran, and on what: known before the run starts.
void describe_run(const SimConfig& cfg, RunReport& r) {
  r.command = cfg.command;
  r.mode = std::string(to_string(cfg.mode));
  r.pattern = cfg.pattern;
  r.mem_latency_cycles = cfg.mem_latency_cycles;
  r.seed = cfg.seed;
  r.workload_name = cfg.workload->name();
  r.description = cfg.workload->description();
  r.policy = cfg.policy;
  r.swappiness = cfg.swappiness;
  r.thp = cfg.thp;
}

// The kernel's and the hardware's figures, once the workload has ended.
void read_back(GuestRuntime& rt, const RtlMmuCore& core, const CheckedMmu& checked, RunReport& r) {
  r.tlb_entries = core.info().tlb_entries;
  if (core.info().organization == "vmsim") {
    r.tlb = core.info().tlb.describe();
    r.hierarchy = core.info().tlb;
  }
  r.mmu = core.stats();
  r.check = checked.stats();
  if (const TlbCounts* c = checked.tlb_counts()) r.tlb_counts = *c;
  r.runtime = rt.stats();
  r.frames_used = rt.frames().used();
  r.frames_total = rt.frames().total();
  r.shared_pages = rt.pages_shared_since_fork();
  for (unsigned n = 0; n < rt.nodes(); ++n) {
    const BuddyAllocator& b = rt.frames().buddy(n);
    if (r.free_blocks.size() <= b.max_order()) r.free_blocks.resize(b.max_order() + 1);
    for (unsigned k = 0; k <= b.max_order(); ++k) r.free_blocks[k] += b.free_blocks(k);
    r.nodes.push_back(
        {b.frames(), b.free_frames(), rt.user_frames_on_node(n), rt.watermarks(n), rt.stats().nodes[n]});
  }
  r.swap_slots = rt.swap().total();
  r.swap_used = rt.swap().used();
  r.watermarks = rt.watermarks();
  r.oom = rt.oom_log();
  r.audit = rt.audit();
  for (const auto& p : rt.processes()) {
    r.processes.push_back({p->pid, p->name, p->alive, p->end_reason, p->oom_score_adj, p->faults});
  }
}

}  // namespace

SimOutcome run_checked_workload(const SimConfig& cfg, PhysMemory& mem, CheckedMmu& checked,
                                const RtlMmuCore& core, HarnessServices services) {
  SimOutcome out;
  RunReport& r = out.report;
  describe_run(cfg, r);
  try {
    GuestRuntime rt(mem, checked, runtime_config(cfg), services.kernel);
    if (services.attach) services.attach(&rt);
    const uint64_t cycles_before = core.cycles();
    WarmupProbe probe(core, checked);
    cfg.workload->set_probe(&probe);
    const auto t0 = std::chrono::steady_clock::now();
    r.workload = cfg.workload->run(rt);
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cfg.workload->set_probe(nullptr);
    if (services.attach) services.attach(nullptr);  // background reclaim is idle from here on
    r.sim_cycles = core.cycles() - cycles_before;
    read_back(rt, core, checked, r);
    probe.subtract_warmup(r);
    out.first_mismatch = checked.first_mismatch();
    out.invalid_log = rt.invalid_log();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

SimOutcome run_plain(const SimConfig& cfg) {
  PlainMachine m(
      {cfg.mem_bytes, cfg.mem_latency_cycles, xlen_of(cfg.mode), cfg.trace_path, cfg.device, cfg.driver});
  std::unique_ptr<FileSwapBackend> swap;
  HarnessServices services;
  FileStore files(cfg.swap_latency_cycles);  // on a disk as slow as swap
  services.kernel.files = &files;
  if (cfg.swap_slots) {
    swap = std::make_unique<FileSwapBackend>(cfg.swap_slots, cfg.swap_latency_cycles, cfg.swap_file);
    services.kernel.swap = swap.get();
  }
  // No kswapd thread here: the kernel runs background reclaim itself after
  // the access that crossed the low watermark.
  SimOutcome out = run_checked_workload(cfg, m.mem, m.mmu, m.core, services);
  out.report.harness = "plain";
  out.report.sim_time_ns = double(out.report.sim_cycles);  // 1 GHz clock
  return out;
}

}  // namespace vmsim
