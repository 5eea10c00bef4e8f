#include "testbench/simulation.h"

#include <chrono>
#include <exception>
#include <memory>

#include "model/file_swap_backend.h"
#include "model/host_memory.h"
#include "model/plain_rtl_mmu.h"

namespace vmsim {

SimOutcome run_checked_workload(const SimConfig& cfg, PhysMemory& mem, MmuPort& dut, const RtlMmuCore& core,
                                HarnessServices services) {
  SimOutcome out;
  RunReport& r = out.report;
  r.mode = std::string(to_string(cfg.mode));
  r.pattern = std::string(to_string(cfg.workload.pattern));
  r.tlb_entries = RtlMmuCore::tlb_entries();
  r.mem_latency_cycles = cfg.mem_latency_cycles;
  r.seed = cfg.workload.seed;
  r.workload_name = cfg.workload_name;
  r.policy = cfg.policy;
  try {
    CheckedMmu checked(dut, mem, RtlMmuCore::tlb_entries(), xlen_of(cfg.mode));
    RuntimeConfig rcfg;
    rcfg.mode = cfg.mode;
    rcfg.control.svadu = cfg.svadu;
    rcfg.policy = cfg.policy;
    rcfg.watermarks = cfg.watermarks;
    rcfg.reclaim = cfg.reclaim;
    rcfg.user_frames = cfg.user_frames;
    if (cfg.trace && cfg.policy == "opt") rcfg.future = cfg.trace->next_use();
    GuestRuntime rt(mem, checked, rcfg, services.kernel);
    if (services.attach) services.attach(&rt);
    const uint64_t cycles_before = core.cycles();
    const auto t0 = std::chrono::steady_clock::now();
    if (cfg.workload_name == "overcommit") {
      r.overcommit = run_overcommit_workload(rt, cfg.overcommit);
    } else if (cfg.workload_name == "malloc-trace") {
      r.malloc = run_malloc_trace_workload(rt, *cfg.malloc_trace);
    } else if (cfg.workload_name == "malloc") {
      r.malloc = run_malloc_workload(rt, cfg.workload.accesses, cfg.workload.seed);
    } else if (cfg.workload_name == "trace") {
      r.trace = run_trace_workload(rt, *cfg.trace);
      r.trace_lines = cfg.trace->lines;
    } else {
      r.workload = run_builtin_workload(rt, cfg.workload);
    }
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (services.attach) services.attach(nullptr);  // background reclaim is idle from here on
    r.sim_cycles = core.cycles() - cycles_before;
    r.mmu = core.stats();
    r.check = checked.stats();
    r.runtime = rt.stats();
    r.frames_used = rt.frames().used();
    r.frames_total = rt.frames().total();
    r.swap_slots = rt.swap().total();
    r.swap_used = rt.swap().used();
    r.watermarks = rt.watermarks();
    r.oom = rt.oom_log();
    r.audit = rt.audit();
    for (const auto& p : rt.processes()) {
      r.processes.push_back({p->pid, p->name, p->alive, p->end_reason, p->oom_score_adj, p->faults});
    }
    out.first_mismatch = checked.first_mismatch();
    out.invalid_log = rt.invalid_log();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

SimOutcome run_plain(const SimConfig& cfg) {
  SparseStore store(cfg.mem_bytes);
  HostMemory mem(store);
  PlainWalkerMemory walker_mem(store, cfg.mem_latency_cycles);
  RtlMmuCore core(walker_mem, xlen_of(cfg.mode), cfg.trace_path);
  std::unique_ptr<FileSwapBackend> swap;
  HarnessServices services;
  if (cfg.swap_slots) {
    swap = std::make_unique<FileSwapBackend>(cfg.swap_slots, cfg.swap_latency_cycles, cfg.swap_file);
    services.kernel.swap = swap.get();
  }
  // No kswapd thread here: the kernel runs background reclaim itself after
  // the access that crossed the low watermark.
  SimOutcome out = run_checked_workload(cfg, mem, core, core, services);
  out.report.harness = "plain";
  out.report.sim_time_ns = double(out.report.sim_cycles);  // 1 GHz clock
  return out;
}

}  // namespace vmsim
