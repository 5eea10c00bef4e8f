// random_command.cpp: `vmsim random`, the random differential test of a
// device: random page tables with injected defects, a random request stream,
// every translation checked, and the functional coverage it reached. With
// --export DIR the case is written as files any simulator can replay.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "model/device_library.h"
#include "testbench/app/commands.h"
#include "testbench/app/option_checks.h"
#include "testbench/harness/random_run.h"

namespace vmsim {

namespace {

struct RandomOptions {
  RandomRunConfig run;
  std::string mode = "sv39";
  std::string config;
  bool json = false;
};

void print(const RandomOptions& o, const RandomRunResult& r) {
  if (o.json) {
    nlohmann::json j{{"device", r.device},
                     {"device.features", r.features},
                     {"mode", o.mode},
                     {"seed", o.run.seed},
                     {"translations", r.translations},
                     {"tlb.hits", r.tlb_hits},
                     {"tlb.l2_hits", r.l2_hits},
                     {"tlb.geometry", r.tlb_geometry},
                     {"check.mismatches", r.mismatches},
                     {"check.cached_answers", r.cached_answers},
                     {"check.organization", r.organization_checked},
                     {"coverage.bins", r.bins_legal},
                     {"coverage.holes", r.holes},
                     {"mem.stall_cycles", r.mem_stall_cycles},
                     {"window", o.run.driver.window},
                     {"walks.merged_misses", r.merged_misses},
                     {"walks.walker_busy_cycles", r.busy_walker_cycles},
                     {"walks.overlapped_cycles", r.overlapped_walk_cycles},
                     {"sim.cycles", r.cycles},
                     {"passed", r.mismatches == 0}};
    if (!r.first_mismatch.empty()) j["check.first_mismatch"] = r.first_mismatch;
    nlohmann::json classes = nlohmann::json::object();
    for (const MismatchSummary& c : r.mismatch_classes) classes[c.name] = c.count;
    j["check.mismatch_classes"] = classes;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << fmt::format(
      "vmsim random: {} on {} ({}{}), seed {}: {} translations, {} TLB hits{}, {} cycles\n"
      "  checked: {}; {} mismatches, {} answers legal only as cached translations\n"
      "  coverage: {}/{} bins\n",
      o.mode, r.device, r.features, r.tlb_geometry.empty() ? "" : "; TLB " + r.tlb_geometry, o.run.seed,
      r.translations, r.tlb_hits, r.has_l2 ? fmt::format(" ({} from the L2)", r.l2_hits) : "", r.cycles,
      r.organization_checked ? "architectural results and TLB hit/miss" : "architectural results",
      r.mismatches, r.cached_answers, r.bins_legal - r.holes.size(), r.bins_legal);
  if (o.run.driver.window > 1) {
    std::cout << fmt::format("  window {}: {} merged misses, {} cycles with two or more walkers busy\n",
                             o.run.driver.window, r.merged_misses, r.overlapped_walk_cycles);
  }
  for (const std::string& h : r.holes) std::cout << "    not reached: " << h << "\n";
  if (!r.mismatch_classes.empty()) {
    std::cout << fmt::format("  mismatches by class ({}), the first of each in full:\n",
                             r.mismatch_classes.size());
    for (const MismatchSummary& c : r.mismatch_classes)
      std::cout << fmt::format("  {:>8}  {}\n", c.count, c.name);
    for (const MismatchSummary& c : r.mismatch_classes) std::cout << c.first;
  }
  if (!o.run.export_dir.empty())
    std::cout << fmt::format("  case written to {}/ (replay.sh replays it)\n", o.run.export_dir);
  std::cout << (r.mismatches ? "FAIL\n" : "PASS\n");
}

int run(RandomOptions& o) {
  o.run.mode = *parse_paging_mode(o.mode);
  if (const int st = choose_device(o.config, o.run.device); st >= 0) return st;
  RandomRunResult r;
  try {
    r = run_random(o.run);
  } catch (const UnsupportedMode& e) {
    return bad_usage(std::string("--mode: the device ") + e.what());
  }
  print(o, r);
  return r.mismatches ? 1 : 0;
}

}  // namespace

Command add_random_command(CLI::App& app) {
  auto o = std::make_shared<RandomOptions>();
  CLI::App* cmd =
      app.add_subcommand("random", "random differential test of a device, with functional coverage");
  cmd->add_option("--mode", o->mode, "paging mode")
      ->check(CLI::IsMember({"sv32", "sv39", "sv48", "sv57"}))
      ->capture_default_str();
  cmd->add_option("--seed", o->run.seed, "random seed (runs are reproducible)")
      ->check(whole_number())
      ->capture_default_str();
  cmd->add_option("--translations", o->run.translations, "translations to make")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1'000'000'000}))
      ->capture_default_str();
  add_device_options(cmd, o->run.device, o->run.driver, o->config);
  cmd->add_option("--window", o->run.driver.window,
                  "translations in flight: requests come in batches of N, so a device with several walkers "
                  "and slots overlaps them (hit and miss then checked against the spec, not predicted)")
      ->check(CLI::Range(1u, 16u))
      ->capture_default_str();
  cmd->add_option(
      "--export", o->run.export_dir,
      "write the case here: image.txt, requests.txt, expected.txt, replay.sh (for vmsim translate)");
  cmd->add_flag("--json", o->json, "print one JSON object instead of the text report");
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
