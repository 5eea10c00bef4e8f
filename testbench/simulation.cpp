#include "testbench/simulation.h"

#include <chrono>
#include <exception>

#include "model/host_memory.h"
#include "model/plain_rtl_mmu.h"

namespace vmsim {

SimOutcome run_checked_workload(const SimConfig& cfg, PhysMemory& mem, MmuPort& dut,
                                const RtlMmuCore& core) {
  SimOutcome out;
  RunReport& r = out.report;
  r.mode = std::string(to_string(cfg.mode));
  r.pattern = std::string(to_string(cfg.workload.pattern));
  r.tlb_entries = RtlMmuCore::tlb_entries();
  r.mem_latency_cycles = cfg.mem_latency_cycles;
  r.seed = cfg.workload.seed;
  try {
    CheckedMmu checked(dut, mem, RtlMmuCore::tlb_entries(), xlen_of(cfg.mode));
    RuntimeConfig rcfg;
    rcfg.mode = cfg.mode;
    rcfg.control.svadu = cfg.svadu;
    GuestRuntime rt(mem, checked, rcfg);
    const uint64_t cycles_before = core.cycles();
    const auto t0 = std::chrono::steady_clock::now();
    r.workload = run_builtin_workload(rt, cfg.workload);
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.sim_cycles = core.cycles() - cycles_before;
    r.mmu = core.stats();
    r.check = checked.stats();
    r.runtime = rt.stats();
    r.frames_used = rt.frames().used();
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
  SimOutcome out = run_checked_workload(cfg, mem, core, core);
  out.report.harness = "plain";
  out.report.sim_time_ns = double(out.report.sim_cycles);  // 1 GHz clock
  return out;
}

}  // namespace vmsim
