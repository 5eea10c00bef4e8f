#include "testbench/harness/run_report.h"

#include <fmt/format.h>

#include <array>
#include <ostream>

#include "testbench/harness/walk_caches.h"
#include "testbench/harness/walk_latency.h"
#include "testbench/harness/walker_occupancy.h"

namespace vmsim {

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
nlohmann::json process_json(const ProcessSummary& p) {
  return {{"pid", p.pid},
          {"name", p.name},
          {"alive", p.alive},
          {"end_reason", p.end_reason},
          {"oom_score_adj", p.oom_score_adj},
          {"faults.minor", p.faults.minor},
          {"faults.major", p.faults.major},
          {"faults.invalid", p.faults.invalid},
          {"faults.cow", p.faults.cow},
          {"faults.minor_cycles", p.faults.minor_cycles},
          {"faults.major_cycles", p.faults.major_cycles}};
}
nlohmann::json oom_json(const OomKill& k) {
  return {{"pid", k.pid},
          {"name", k.name},
          {"badness", k.badness},
          {"rss", k.rss},
          {"swap_entries", k.swap_entries},
          {"table_pages", k.table_pages},
          {"oom_score_adj", k.oom_score_adj}};
}
}  // namespace

// ============================================================================
// JSON
// ============================================================================

nlohmann::json RunReport::to_json() const {
  nlohmann::json j;
  j["harness"] = harness;
  j["mode"] = mode;
  j["pattern"] = pattern;
  j["seed"] = seed;
  j["workload"] = workload_name;
  j["policy"] = policy;
  json_mmu(j);
  json_kernel(j);
  // Every workload reports these; its own figures replace the zeros.
  for (const char* k : {"accesses.loads", "accesses.stores", "accesses.fetches", "accesses.direct_map_reads",
                        "accesses.invalid_probes"}) {
    j[k] = 0;
  }
  j.update(workload.figures);
  json_checks(j);
  j["sim.cycles"] = sim_cycles;
  j["sim.time_ns"] = sim_time_ns;
  j["sim.wall_seconds"] = wall_seconds;
  j["sim.translations_per_s"] = per_second(mmu.translations, wall_seconds);
  j["sim.cycles_per_s"] = per_second(sim_cycles, wall_seconds);
  j["passed"] = passed();
  return j;
}

namespace {
constexpr const char* kAccessNames[] = {"load", "store", "fetch"};  // by Access's value
}  // namespace

void RunReport::json_mmu(nlohmann::json& j) const {
  j["tlb.entries"] = tlb_entries;
  j["tlb.geometry"] = tlb;
  j["mem.latency_cycles"] = mem_latency_cycles;
  j["translations"] = mmu.translations;
  j["tlb.hits"] = mmu.tlb_hits;
  j["tlb.misses"] = mmu.translations - mmu.tlb_hits;
  j["tlb.hit_rate"] = mean(mmu.tlb_hits, mmu.translations);
  j["tlb.misses_per_1k"] = 1000.0 * mean(mmu.translations - mmu.tlb_hits, mmu.translations);
  j["tlb.l2_hits"] = mmu.l2_hits;
  j["tlb.evictions"] = tlb_counts ? nlohmann::json(tlb_counts->evictions()) : nlohmann::json();
  json_tlb_levels(j);
  for (Access a : {Access::kLoad, Access::kStore, Access::kFetch}) {
    const unsigned i = unsigned(a);
    const std::string k = fmt::format("tlb.{}.", kAccessNames[i]);
    j[k + "translations"] = check.by_access[i];
    j[k + "hits"] = check.hits_by_access[i];
    j[k + "misses"] = check.by_access[i] - check.hits_by_access[i];
  }
  j["walks"] = mmu.walks;
  j["walks.mean_cycles"] = mean(mmu.walk_cycles, mmu.walks);
  j["walks.latency_p50"] = walk_latency_percentile(mmu, 0.5);
  j["walks.latency_p90"] = walk_latency_percentile(mmu, 0.9);
  j["walks.latency_p99"] = walk_latency_percentile(mmu, 0.99);
  j["walks.latency_max"] = walk_latency_max(mmu);
  j["walks.latency_histogram"] = walk_latency_histogram(mmu);
  for (unsigned l = 0; l < check.walks_by_leaf_level.size(); ++l) {
    j[fmt::format("walks.leaf_level{}", l)] = check.walks_by_leaf_level[l];
  }
  j["walks.faulting"] = check.walk_faults;
  json_walkers(j, mmu, hierarchy ? hierarchy->walkers : 1, sim_cycles);
  json_walk_depths(j, mmu);
  json_walk_caches(j, tlb_counts ? &*tlb_counts : nullptr, hierarchy ? &*hierarchy : nullptr);
  j["pte.reads"] = mmu.pte_reads;
  j["pte.writes"] = mmu.pte_writes;
  j["sfences"] = mmu.sfences;
}

namespace {
// The TLBs of a hierarchy, with their report names: "l1" is the data TLB
// (every access, without an instruction TLB).
struct NamedLevel {
  const char* key;
  const char* label;
  const TlbCounts::Level* counts;
  const std::optional<TlbGeometry>* geometry;  // null: the L1, always present
};
std::array<NamedLevel, 3> named_levels(const TlbCounts& c, const TlbHierarchy& h) {
  return {{{"l1", h.l1i ? "L1D" : "L1", &c.l1, nullptr},
           {"l1i", "L1I", &c.l1i, &h.l1i},
           {"l2", "L2", &c.l2, &h.l2}}};
}
std::string geometry_of(const NamedLevel& n, const TlbHierarchy& h) {
  return n.geometry ? (*n.geometry)->describe() : h.l1.describe();
}
}  // namespace

// Per TLB: tlb.l1.*, tlb.l1i.*, tlb.l2.* (present structures only).
void RunReport::json_tlb_levels(nlohmann::json& j) const {
  if (!tlb_counts || !hierarchy) return;
  for (const NamedLevel& n : named_levels(*tlb_counts, *hierarchy)) {
    if (!n.counts->present) continue;
    const TlbLevelCounts& c = n.counts->c;
    const std::string k = fmt::format("tlb.{}.", n.key);
    j[k + "geometry"] = geometry_of(n, *hierarchy);
    j[k + "accesses"] = c.accesses;
    j[k + "hits"] = c.hits;
    j[k + "misses"] = c.misses();
    j[k + "evictions"] = c.evictions;
    j[k + "hit_rate"] = mean(c.hits, c.accesses);
    j[k + "misses_per_1k"] = 1000.0 * mean(c.misses(), mmu.translations);
  }
  if (hierarchy->l2) j["tlb.l2.latency_cycles"] = hierarchy->l2_latency;
}

void RunReport::json_kernel(nlohmann::json& j) const {
  j["faults.minor"] = runtime.faults.minor;
  j["faults.major"] = runtime.faults.major;
  j["faults.invalid"] = runtime.faults.invalid;
  j["faults.access"] = runtime.access_faults;
  j["faults.minor_cycles"] = runtime.faults.minor_cycles;
  j["faults.major_cycles"] = runtime.faults.major_cycles;
  j["faults.invalid_cycles"] = runtime.faults.invalid_cycles;
  j["faults.cow"] = runtime.faults.cow;
  j["faults.cow_cycles"] = runtime.faults.cow_cycles;
  j["fork.forks"] = runtime.forks;
  j["fork.shared_pages"] = shared_pages;
  j["page_ins"] = runtime.faults.minor + runtime.faults.major;
  j["swap.slots"] = swap_slots;
  j["swap.slots_used"] = swap_used;
  j["swap.outs"] = runtime.swap_outs;
  j["swap.ins"] = runtime.swap_ins;
  j["swap.clean_drops"] = runtime.swap_clean_drops;
  j["swap.zero_drops"] = runtime.zero_drops;
  j["swap.corrupt_slots"] = runtime.swap_corrupt;
  j["swap.write_errors"] = runtime.swap_write_errors;
  j["swap.device_cycles"] = runtime.swap_cycles;
  j["reclaim.background_pages"] = runtime.reclaim_background;
  j["reclaim.direct_pages"] = runtime.reclaim_direct;
  j["reclaim.kswapd_wakeups"] = runtime.kswapd_wakeups;
  j["reclaim.watermarks"] = {watermarks.min, watermarks.low, watermarks.high};
  j["reclaim.swappiness"] = swappiness;
  json_memory(j);
  j["oom.kills"] = runtime.oom_kills;
  j["reclaim.a_bit_tests"] = runtime.a_bit_tests;
  j["reclaim.a_bit_fences"] = runtime.a_bit_fences;
  j["compaction.runs"] = runtime.compactions;
  j["compaction.pages_migrated"] = runtime.pages_migrated;
  j["oom.victims"] = nlohmann::json::array();
  for (const OomKill& k : oom) j["oom.victims"].push_back(oom_json(k));
  j["processes"] = nlohmann::json::array();
  for (const ProcessSummary& p : processes) j["processes"].push_back(process_json(p));
  j["frames.used"] = frames_used;
  j["frames.total"] = frames_total;
  j["frames.free_blocks"] = free_blocks;
}

// Files, NUMA nodes and transparent huge pages.
void RunReport::json_memory(nlohmann::json& j) const {
  j["file.reads"] = runtime.file_reads;
  j["file.writes"] = runtime.file_writes;
  j["file.reclaim_writes"] = runtime.file_reclaim_writes;
  j["file.drops"] = runtime.file_drops;
  j["file.flushes"] = runtime.file_flushes;
  j["file.read_errors"] = runtime.file_read_errors;
  j["file.write_errors"] = runtime.file_write_errors;
  j["file.device_cycles"] = runtime.file_cycles;
  j["numa.nodes"] = nlohmann::json::array();
  for (const NodeSummary& n : nodes) {
    j["numa.nodes"].push_back({{"frames", n.frames},
                               {"free", n.free},
                               {"user_pages", n.user_pages},
                               {"watermarks", {n.watermarks.min, n.watermarks.low, n.watermarks.high}},
                               {"allocations", n.stats.allocations},
                               {"fallbacks", n.stats.fallbacks},
                               {"kswapd_wakeups", n.stats.kswapd_wakeups},
                               {"reclaimed_background", n.stats.reclaimed_background},
                               {"reclaimed_direct", n.stats.reclaimed_direct}});
  }
  j["thp.enabled"] = thp;
  j["thp.promotions"] = runtime.thp_promotions;
  j["thp.splits"] = runtime.thp_splits;
  j["thp.no_block"] = runtime.thp_no_block;
}

void RunReport::json_checks(nlohmann::json& j) const {
  j["audit.clean"] = audit.clean();
  if (!audit.clean()) j["audit.problems"] = audit.problems;
  j["check.mismatches"] = check.mismatches;
  j["check.data_mismatches"] = workload.data_mismatches;
  j["check.unexpected_faults"] = workload.unexpected_faults;
  j["check.probes_not_faulting"] = workload.probes_not_faulting;
  if (!workload.first_error.empty()) j["check.first_error"] = workload.first_error;
  if (!workload.setup_error.empty()) j["error"] = workload.setup_error;
}

// ============================================================================
// Text
// ============================================================================

void RunReport::print_text(std::ostream& os, const std::string& first_mismatch) const {
  const std::string tlb_text = tlb.empty() ? fmt::format("{}-entry TLB", tlb_entries)
                                           : fmt::format("{}-entry TLB ({})", tlb_entries, tlb);
  os << fmt::format("vmsim {}: {}, {} paging, {}, memory latency {} cycles, {} harness, seed {}\n", command,
                    description, mode, tlb_text, mem_latency_cycles, harness, seed);
  text_mmu(os);
  for (const std::string& line : workload.lines) os << line << "\n";
  text_kernel(os);
  text_totals(os, first_mismatch);
}

void RunReport::text_mmu(std::ostream& os) const {
  os << fmt::format("  translations       {:>12}\n", mmu.translations);
  os << fmt::format("  TLB hits           {:>12}  ({:.2f}%)\n", mmu.tlb_hits,
                    100.0 * mean(mmu.tlb_hits, mmu.translations));
  os << fmt::format("  TLB misses         {:>12}  ({:.1f} per 1,000{})\n", mmu.translations - mmu.tlb_hits,
                    1000.0 * mean(mmu.translations - mmu.tlb_hits, mmu.translations),
                    tlb_counts ? fmt::format(", {} evictions", tlb_counts->evictions()) : "");
  if (tlb_counts && hierarchy && (hierarchy->l1i || hierarchy->l2)) {
    for (const NamedLevel& n : named_levels(*tlb_counts, *hierarchy)) {
      if (!n.counts->present) continue;
      const TlbLevelCounts& c = n.counts->c;
      os << fmt::format(
          "    {:<4} {:<28} {} lookups, {} hits ({:.2f}%), {:.1f} misses per 1,000, {} evictions\n", n.label,
          geometry_of(n, *hierarchy), c.accesses, c.hits, 100.0 * mean(c.hits, c.accesses),
          1000.0 * mean(c.misses(), mmu.translations), c.evictions);
    }
  }
  std::string by;
  for (Access a : {Access::kFetch, Access::kLoad, Access::kStore}) {
    const unsigned i = unsigned(a);
    by += fmt::format("{}{} {} ({:.2f}% hits)", by.empty() ? "" : ", ", kAccessNames[i], check.by_access[i],
                      100.0 * mean(check.hits_by_access[i], check.by_access[i]));
  }
  os << "    by access      " << by << "\n";
  os << fmt::format("  page walks         {:>12}  mean {:.1f} cycles, {} PTE reads, {} PTE writes\n",
                    mmu.walks, mean(mmu.walk_cycles, mmu.walks), mmu.pte_reads, mmu.pte_writes);
  if (mmu.walks) os << "    walk latency   " << walk_latency_summary(mmu) << "\n";
  text_walk_depths(os, mmu);
  text_walkers(os, mmu, hierarchy ? hierarchy->walkers : 1, sim_cycles);
  text_walk_caches(os, tlb_counts ? &*tlb_counts : nullptr, hierarchy ? &*hierarchy : nullptr);
  const PagingMode pm = parse_paging_mode(mode).value_or(PagingMode::kSv39);
  std::string leaves;
  for (unsigned l = 0; l < levels_of(pm); ++l) {
    leaves += fmt::format("{}level {} ({}) {}", l ? ", " : "", l, size_name(page_size(pm, l)),
                          check.walks_by_leaf_level[l]);
  }
  os << fmt::format("    ending in a leaf at {}; faulting {}\n", leaves, check.walk_faults);
  os << fmt::format(
      "  page faults        minor {}, major {}, invalid {}, access {}{}\n", runtime.faults.minor,
      runtime.faults.major, runtime.faults.invalid, runtime.access_faults,
      runtime.faults.cow ? fmt::format(", copy-on-write {}", runtime.faults.cow) : std::string());
  os << fmt::format("    cycles spent     minor {:.0f}/fault, major {:.0f}/fault\n",
                    mean(runtime.faults.minor_cycles, runtime.faults.minor),
                    mean(runtime.faults.major_cycles, runtime.faults.major));
  if (runtime.forks) {
    os << fmt::format(
        "  fork               {} forks; {} copy-on-write faults ({:.0f} cycles each); {} pages "
        "still shared at the end\n",
        runtime.forks, runtime.faults.cow, mean(runtime.faults.cow_cycles, runtime.faults.cow), shared_pages);
  }
}

void RunReport::text_kernel(std::ostream& os) const {
  if (swap_slots || runtime.reclaim_direct || runtime.reclaim_background || workload.always_show_swap) {
    os << fmt::format(
        "  swap               {} outs, {} ins, {} clean drops, {} zero drops; {} of {} slots used\n",
        runtime.swap_outs, runtime.swap_ins, runtime.swap_clean_drops, runtime.zero_drops, swap_used,
        swap_slots);
    if (runtime.swap_write_errors) {
      os << fmt::format("    {} swap writes refused by the host (the pages stayed in memory)\n",
                        runtime.swap_write_errors);
    }
    os << fmt::format("  reclaim ({})  {} pages by kswapd ({} wake-ups), {} direct; watermarks {}/{}/{}\n",
                      policy, runtime.reclaim_background, runtime.kswapd_wakeups, runtime.reclaim_direct,
                      watermarks.min, watermarks.low, watermarks.high);
    os << fmt::format("    A bits looked at {} times, {} found set and fenced\n", runtime.a_bit_tests,
                      runtime.a_bit_fences);
  }
  text_memory(os);
  if (runtime.oom_kills) os << fmt::format("  OOM kills          {}\n", runtime.oom_kills);
  for (const OomKill& k : oom) {
    os << fmt::format(
        "    killed pid {} '{}': badness {} = {} resident + {} swapped + {} table pages, oom_score_adj {}\n",
        k.pid, k.name, k.badness, k.rss, k.swap_entries, k.table_pages, k.oom_score_adj);
  }
  if (processes.size() > 1 && workload.list_processes) {
    for (const ProcessSummary& p : processes) {
      os << fmt::format("    pid {} {:<10} {:<6} faults minor {} major {} invalid {}{}{}\n", p.pid, p.name,
                        p.alive ? "alive" : "ended", p.faults.minor, p.faults.major, p.faults.invalid,
                        p.faults.cow ? fmt::format(" cow {}", p.faults.cow) : std::string(),
                        p.alive ? "" : " (" + p.end_reason + ")");
    }
  }
  os << fmt::format("  audit              {}\n", audit.clean() ? "clean" : "PROBLEMS");
  for (const auto& prob : audit.problems) os << "    " << prob << "\n";
  os << fmt::format("  frames in use      {:>12}  ({} MiB)\n", frames_used, frames_used * kPageSize >> 20);
  std::string blocks;
  for (size_t k = 0; k < free_blocks.size(); ++k) {
    if (free_blocks[k]) blocks += fmt::format(" {}:{}", k, free_blocks[k]);
  }
  os << "  free blocks        order:count" << (blocks.empty() ? " none" : blocks) << "\n";
  if (runtime.compactions)
    os << fmt::format("  compaction         {} runs moved {} pages\n", runtime.compactions,
                      runtime.pages_migrated);
}

// Files, NUMA nodes and transparent huge pages, where they were used.
void RunReport::text_memory(std::ostream& os) const {
  if (runtime.file_reads || runtime.file_writes) {
    os << fmt::format(
        "  files              {} pages read, {} written back ({} by reclaim), {} clean pages dropped; "
        "swappiness {}\n",
        runtime.file_reads, runtime.file_writes, runtime.file_reclaim_writes, runtime.file_drops, swappiness);
  }
  for (size_t i = 0; nodes.size() > 1 && i < nodes.size(); ++i) {
    const NodeSummary& n = nodes[i];
    os << fmt::format(
        "  node {}             {} frames, {} free (watermarks {}/{}/{}), {} user pages; {} frames given "
        "({} to processes of other nodes); kswapd{} woke {} times, reclaimed {} (+{} direct)\n",
        i, n.frames, n.free, n.watermarks.min, n.watermarks.low, n.watermarks.high, n.user_pages,
        n.stats.allocations, n.stats.fallbacks, i, n.stats.kswapd_wakeups, n.stats.reclaimed_background,
        n.stats.reclaimed_direct);
  }
  if (thp) {
    os << fmt::format(
        "  huge pages (THP)   {} promoted by khugepaged, {} split back, {} not promoted for want of a "
        "free block\n",
        runtime.thp_promotions, runtime.thp_splits, runtime.thp_no_block);
  }
}

void RunReport::text_totals(std::ostream& os, const std::string& first_mismatch) const {
  os << fmt::format("  simulated cycles   {:>12}\n", sim_cycles);
  os << fmt::format("  wall time          {:>12.3f} s\n", wall_seconds);
  os << fmt::format("  translations/s     {:>12.0f}\n", per_second(mmu.translations, wall_seconds));
  os << fmt::format("  data mismatches    {:>12}\n", workload.data_mismatches);
  os << fmt::format("  checker mismatches {:>12}\n", check.mismatches);
  if (workload.unexpected_faults || workload.probes_not_faulting) {
    os << fmt::format("  unexpected faults  {:>12}, invalid probes that did not fault {}\n",
                      workload.unexpected_faults, workload.probes_not_faulting);
  }
  if (!first_mismatch.empty()) os << first_mismatch;
  if (!workload.first_error.empty()) os << "  first error: " << workload.first_error << "\n";
  if (!workload.setup_error.empty()) os << "  setup failed: " << workload.setup_error << "\n";
  os << (passed() ? "PASS\n" : "FAIL\n");
}

}  // namespace vmsim
