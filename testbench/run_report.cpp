#include "testbench/run_report.h"

#include <fmt/format.h>

#include <ostream>

namespace vmsim {

bool RunReport::passed() const {
  return check.mismatches == 0 && data_mismatches() == 0 && workload.unexpected_faults == 0 &&
         workload.probes_not_faulting == 0 && workload.setup_error.empty() &&
         overcommit.unexpected_faults == 0 && overcommit.setup_error.empty() &&
         trace.unexpected_faults == 0 && trace.setup_error.empty() && audit.clean();
}

namespace {
double per_second(uint64_t n, double s) {
  return s > 0 ? double(n) / s : 0.0;
}
double mean(uint64_t total, uint64_t n) {
  return n ? double(total) / double(n) : 0.0;
}
std::string size_name(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  unsigned u = 0;
  while (bytes >= 1024 && u < 5) bytes /= 1024, ++u;
  return fmt::format("{} {}", bytes, kUnits[u]);
}
}  // namespace

nlohmann::json RunReport::to_json() const {
  nlohmann::json j;
  j["harness"] = harness;
  j["mode"] = mode;
  j["pattern"] = pattern;
  j["seed"] = seed;
  j["tlb.entries"] = tlb_entries;
  j["mem.latency_cycles"] = mem_latency_cycles;
  j["translations"] = mmu.translations;
  j["tlb.hits"] = mmu.tlb_hits;
  j["tlb.misses"] = mmu.translations - mmu.tlb_hits;
  j["tlb.hit_rate"] = mean(mmu.tlb_hits, mmu.translations);
  j["walks"] = mmu.walks;
  j["walks.mean_cycles"] = mean(mmu.walk_cycles, mmu.walks);
  for (unsigned l = 0; l < check.walks_by_leaf_level.size(); ++l) {
    j[fmt::format("walks.leaf_level{}", l)] = check.walks_by_leaf_level[l];
  }
  j["walks.faulting"] = check.walk_faults;
  j["pte.reads"] = mmu.pte_reads;
  j["pte.writes"] = mmu.pte_writes;
  j["sfences"] = mmu.sfences;
  j["workload"] = workload_name;
  j["policy"] = policy;
  j["faults.minor"] = runtime.faults.minor;
  j["faults.major"] = runtime.faults.major;
  j["faults.invalid"] = runtime.faults.invalid;
  j["faults.access"] = runtime.access_faults;
  j["faults.minor_cycles"] = runtime.faults.minor_cycles;
  j["faults.major_cycles"] = runtime.faults.major_cycles;
  j["faults.invalid_cycles"] = runtime.faults.invalid_cycles;
  j["swap.slots"] = swap_slots;
  j["swap.slots_used"] = swap_used;
  j["swap.outs"] = runtime.swap_outs;
  j["swap.ins"] = runtime.swap_ins;
  j["swap.clean_drops"] = runtime.swap_clean_drops;
  j["swap.zero_drops"] = runtime.zero_drops;
  j["swap.corrupt_slots"] = runtime.swap_corrupt;
  j["swap.device_cycles"] = runtime.swap_cycles;
  j["reclaim.background_pages"] = runtime.reclaim_background;
  j["reclaim.direct_pages"] = runtime.reclaim_direct;
  j["reclaim.kswapd_wakeups"] = runtime.kswapd_wakeups;
  j["reclaim.watermarks"] = {watermarks.min, watermarks.low, watermarks.high};
  j["oom.kills"] = runtime.oom_kills;
  nlohmann::json kills = nlohmann::json::array();
  for (const OomKill& k : oom) {
    kills.push_back({{"pid", k.pid},
                     {"name", k.name},
                     {"badness", k.badness},
                     {"rss", k.rss},
                     {"swap_entries", k.swap_entries},
                     {"table_pages", k.table_pages},
                     {"oom_score_adj", k.oom_score_adj}});
  }
  j["oom.victims"] = kills;
  nlohmann::json procs = nlohmann::json::array();
  for (const ProcessSummary& p : processes) {
    procs.push_back({{"pid", p.pid},
                     {"name", p.name},
                     {"alive", p.alive},
                     {"end_reason", p.end_reason},
                     {"oom_score_adj", p.oom_score_adj},
                     {"faults.minor", p.faults.minor},
                     {"faults.major", p.faults.major},
                     {"faults.invalid", p.faults.invalid},
                     {"faults.minor_cycles", p.faults.minor_cycles},
                     {"faults.major_cycles", p.faults.major_cycles}});
  }
  j["processes"] = procs;
  j["audit.clean"] = audit.clean();
  if (!audit.clean()) j["audit.problems"] = audit.problems;
  j["accesses.loads"] = workload.loads;  // (overcommit: replaced below)
  j["accesses.stores"] = workload.stores;
  j["accesses.fetches"] = workload.fetches;
  j["accesses.direct_map_reads"] = workload.direct_map_reads;
  j["accesses.invalid_probes"] = workload.invalid_probes;
  j["frames.used"] = frames_used;
  j["frames.total"] = frames_total;
  j["check.mismatches"] = check.mismatches;
  j["check.data_mismatches"] = data_mismatches();
  j["check.unexpected_faults"] =
      workload.unexpected_faults + overcommit.unexpected_faults + trace.unexpected_faults;
  j["page_ins"] = runtime.faults.minor + runtime.faults.major;
  if (workload_name == "malloc" || workload_name == "malloc-trace") {
    j.update(malloc.figures);
    j["ops_per_s"] = wall_seconds > 0 ? double(malloc.figures.value("ops", 0)) / wall_seconds : 0.0;
  }
  if (workload_name == "trace") {
    j["trace.lines"] = trace_lines;
    j["trace.references"] = trace.references;
    j["trace.distinct_pages"] = trace.distinct_pages;
    j["accesses.loads"] = trace.loads;
    j["accesses.stores"] = trace.stores;
    j["accesses.fetches"] = trace.fetches;
  }
  if (workload_name == "overcommit") {
    j["accesses.loads"] = overcommit.loads;
    j["accesses.stores"] = overcommit.stores;
    j["accesses.shared"] = overcommit.shared_accesses;
    j["overcommit.working_set_pages"] = overcommit.working_set_pages;
    j["overcommit.verified_pages"] = overcommit.verified_pages;
  }
  j["check.probes_not_faulting"] = workload.probes_not_faulting;
  j["sim.cycles"] = sim_cycles;
  j["sim.time_ns"] = sim_time_ns;
  j["sim.wall_seconds"] = wall_seconds;
  j["sim.translations_per_s"] = per_second(mmu.translations, wall_seconds);
  j["sim.cycles_per_s"] = per_second(sim_cycles, wall_seconds);
  j["passed"] = passed();
  if (!workload.setup_error.empty()) j["error"] = workload.setup_error;
  if (!overcommit.setup_error.empty()) j["error"] = overcommit.setup_error;
  return j;
}

void RunReport::print_text(std::ostream& os, const std::string& first_mismatch) const {
  const uint64_t misses = mmu.translations - mmu.tlb_hits;
  const std::string what = workload_name == "basic" ? pattern + " pattern" : workload_name + " workload";
  os << fmt::format("vmsim {}: {}, {} paging, {}-entry TLB, memory latency {} cycles, {} harness, seed {}\n",
                    workload_name == "trace" ? "trace" : "run", what, mode, tlb_entries, mem_latency_cycles,
                    harness, seed);
  if (!workload.setup_error.empty()) os << "  setup failed: " << workload.setup_error << "\n";
  os << fmt::format("  translations       {:>12}\n", mmu.translations);
  os << fmt::format("  TLB hits           {:>12}  ({:.2f}%)\n", mmu.tlb_hits,
                    100.0 * mean(mmu.tlb_hits, mmu.translations));
  os << fmt::format("  TLB misses         {:>12}\n", misses);
  os << fmt::format("  page walks         {:>12}  mean {:.1f} cycles, {} PTE reads, {} PTE writes\n",
                    mmu.walks, mean(mmu.walk_cycles, mmu.walks), mmu.pte_reads, mmu.pte_writes);
  const PagingMode pm = parse_paging_mode(mode).value_or(PagingMode::kSv39);
  std::string leaves;
  for (unsigned l = 0; l < levels_of(pm); ++l) {
    leaves += fmt::format("{}level {} ({}) {}", l ? ", " : "", l, size_name(page_size(pm, l)),
                          check.walks_by_leaf_level[l]);
  }
  os << fmt::format("    ending in a leaf at {}; faulting {}\n", leaves, check.walk_faults);
  os << fmt::format("  page faults        minor {}, major {}, invalid {}, access {}\n", runtime.faults.minor,
                    runtime.faults.major, runtime.faults.invalid, runtime.access_faults);
  os << fmt::format("    cycles spent     minor {:.0f}/fault, major {:.0f}/fault\n",
                    mean(runtime.faults.minor_cycles, runtime.faults.minor),
                    mean(runtime.faults.major_cycles, runtime.faults.major));
  if (workload_name == "malloc" || workload_name == "malloc-trace") {
    const auto& f = malloc.figures;
    os << fmt::format(
        "  allocator          {} operations, utilization {:.3f} (peak payload {} / peak heap {}), {:.0f} "
        "ops/s\n",
        f.value("ops", 0), f.value("utilization", 0.0), f.value("peak_payload", 0), f.value("peak_heap", 0),
        wall_seconds > 0 ? double(f.value("ops", 0)) / wall_seconds : 0.0);
    os << fmt::format(
        "    hits: tcache {}, fast {}, small {}, unsorted exact {}, large {}, bin map {}, last remainder {}, "
        "top {}\n",
        f.value("malloc.tcache_hits", 0), f.value("malloc.fastbin_hits", 0),
        f.value("malloc.smallbin_hits", 0), f.value("malloc.unsorted_exact", 0),
        f.value("malloc.largebin_hits", 0), f.value("malloc.binmap_hits", 0),
        f.value("malloc.last_remainder_splits", 0), f.value("malloc.top_splits", 0));
    os << fmt::format("    system: {} brk grows, {} trims, {} mmaps, {} munmaps; mmap threshold now {}\n",
                      f.value("malloc.brk_grows", 0), f.value("malloc.trims", 0), f.value("malloc.mmaps", 0),
                      f.value("malloc.munmaps", 0), f.value("malloc.mmap_threshold", 0));
    if (f.contains("malloc.error"))
      os << "    allocator error: " << f["malloc.error"].get<std::string>() << "\n";
    if (!malloc.first_error.empty()) os << "  first error: " << malloc.first_error << "\n";
  } else if (workload_name == "trace") {
    os << fmt::format(
        "  trace              {} lines, {} page references ({} loads, {} stores, {} fetches), {} distinct "
        "pages\n",
        trace_lines, trace.references, trace.loads, trace.stores, trace.fetches, trace.distinct_pages);
    os << fmt::format("  page-ins           {}  (minor + major); dirty write-backs {}\n",
                      runtime.faults.minor + runtime.faults.major, runtime.swap_outs);
  } else if (workload_name == "overcommit") {
    os << fmt::format(
        "  guest accesses     {} loads, {} stores ({} shared); working sets {} pages in {} frames\n",
        overcommit.loads, overcommit.stores, overcommit.shared_accesses, overcommit.working_set_pages,
        frames_total);
    os << fmt::format("  verified at end    {} pages read back\n", overcommit.verified_pages);
  } else {
    os << fmt::format(
        "  guest accesses     {} loads, {} stores, {} fetches, {} direct-map reads, {} invalid probes\n",
        workload.loads, workload.stores, workload.fetches, workload.direct_map_reads,
        workload.invalid_probes);
  }
  if (swap_slots || runtime.reclaim_direct || runtime.reclaim_background || workload_name == "trace") {
    os << fmt::format(
        "  swap               {} outs, {} ins, {} clean drops, {} zero drops; {} of {} slots used\n",
        runtime.swap_outs, runtime.swap_ins, runtime.swap_clean_drops, runtime.zero_drops, swap_used,
        swap_slots);
    os << fmt::format("  reclaim ({})  {} pages by kswapd ({} wake-ups), {} direct; watermarks {}/{}/{}\n",
                      policy, runtime.reclaim_background, runtime.kswapd_wakeups, runtime.reclaim_direct,
                      watermarks.min, watermarks.low, watermarks.high);
  }
  if (runtime.oom_kills) os << fmt::format("  OOM kills          {}\n", runtime.oom_kills);
  for (const OomKill& k : oom) {
    os << fmt::format(
        "    killed pid {} '{}': badness {} = {} resident + {} swapped + {} table pages, oom_score_adj {}\n",
        k.pid, k.name, k.badness, k.rss, k.swap_entries, k.table_pages, k.oom_score_adj);
  }
  if (processes.size() > 1 && workload_name != "basic") {
    for (const ProcessSummary& p : processes) {
      os << fmt::format("    pid {} {:<10} {:<6} faults minor {} major {} invalid {}{}\n", p.pid, p.name,
                        p.alive ? "alive" : "ended", p.faults.minor, p.faults.major, p.faults.invalid,
                        p.alive ? "" : " (" + p.end_reason + ")");
    }
  }
  os << fmt::format("  audit              {}\n", audit.clean() ? "clean" : "PROBLEMS");
  for (const auto& prob : audit.problems) os << "    " << prob << "\n";
  os << fmt::format("  frames in use      {:>12}  ({} MiB)\n", frames_used, frames_used * kPageSize >> 20);
  os << fmt::format("  simulated cycles   {:>12}\n", sim_cycles);
  os << fmt::format("  wall time          {:>12.3f} s\n", wall_seconds);
  os << fmt::format("  translations/s     {:>12.0f}\n", per_second(mmu.translations, wall_seconds));
  os << fmt::format("  data mismatches    {:>12}\n", data_mismatches());
  os << fmt::format("  checker mismatches {:>12}\n", check.mismatches);
  if (workload.unexpected_faults || workload.probes_not_faulting) {
    os << fmt::format("  unexpected faults  {:>12}, invalid probes that did not fault {}\n",
                      workload.unexpected_faults, workload.probes_not_faulting);
  }
  if (!first_mismatch.empty()) os << first_mismatch;
  if (!workload.first_error.empty()) os << "  first error: " << workload.first_error << "\n";
  if (!overcommit.first_error.empty()) os << "  first error: " << overcommit.first_error << "\n";
  if (!overcommit.setup_error.empty()) os << "  setup failed: " << overcommit.setup_error << "\n";
  if (!trace.first_error.empty()) os << "  first error: " << trace.first_error << "\n";
  if (!trace.setup_error.empty()) os << "  setup failed: " << trace.setup_error << "\n";
  os << (passed() ? "PASS\n" : "FAIL\n");
}

}  // namespace vmsim
