// machine_options.cpp: the options `run`, `trace` and `malloc` share, their
// checks, and running and reporting a simulation.
#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <iostream>
#include <variant>

#include "model/device_library.h"
#include "testbench/app/command.h"
#include "testbench/app/config_device.h"

namespace vmsim {

namespace fs = std::filesystem;

int bad_usage(const std::string& msg) {
  std::cerr << "vmsim: " << msg << "\n";
  return 2;
}

namespace {

// "MIN,LOW,HIGH" in frames; on a mistake, what is wrong with which field.
std::variant<Watermarks, std::string> parse_watermarks(const std::string& s) {
  const char* names[] = {"MIN", "LOW", "HIGH"};
  uint64_t v[3] = {};
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    const size_t comma = i < 2 ? s.find(',', pos) : s.size();
    if (comma == std::string::npos) return std::string("expected MIN,LOW,HIGH (three frame counts)");
    const std::string field = s.substr(pos, comma - pos);
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v[i]);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size()) {
      return fmt::format("{} '{}' is not a frame count (a whole number of frames)", names[i], field);
    }
    pos = comma + 1;
  }
  return Watermarks{v[0], v[1], v[2]};
}

std::string policy_help() {
  std::string help = "page replacement policy:";
  for (const std::string& name : policy_names())
    help += "\n  " + name + ": " + std::string(policy_summary(name));
  return help;
}

void add_memory_management_options(CLI::App* cmd, MachineOptions& o) {
  o.swap_opt = cmd->add_option("--swap-slots", o.sim.swap_slots,
                               "swap device size in pages (default: twice the frames, at most 1M)")
                   ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 24));
  cmd->add_option("--swap-latency", o.sim.swap_latency_cycles, "cycles per page the swap device takes")
      ->check(CLI::Range(uint64_t{0}, uint64_t{100'000'000}))
      ->capture_default_str();
  cmd->add_option("--swap-file", o.sim.swap_file,
                  "host file behind the swap device (default: a temporary file)");
  cmd->add_option("--policy", o.sim.policy, policy_help())
      ->check(CLI::IsMember(policy_names()))
      ->capture_default_str();
  cmd->add_option("--watermarks", o.watermarks,
                  "free-frame watermarks MIN,LOW,HIGH (default: from memory size)");
  cmd->add_option("--reclaim", o.reclaim,
                  "watermark: kswapd + direct reclaim; on-demand: evict only when a fault finds no frame")
      ->check(CLI::IsMember({"watermark", "on-demand"}))
      ->capture_default_str();
  cmd->add_option("--swappiness", o.sim.swappiness,
                  "reclaim's balance: 0 takes file pages first, 100 file and anonymous pages alike, 200 "
                  "anonymous pages first (as Linux's vm.swappiness)")
      ->check(CLI::Range(0u, 200u))
      ->capture_default_str();
  cmd->add_option(
         "--thp", o.thp,
         "transparent huge pages: always: khugepaged maps full, aligned 2 MiB ranges of private "
         "anonymous memory (4 MiB in Sv32) with one leaf, and reclaim, munmap and mprotect split them")
      ->check(CLI::IsMember({"never", "always"}))
      ->capture_default_str();
  cmd->add_option("--nodes", o.sim.nodes,
                  "NUMA nodes: memory split into N nodes of whole 2 MiB pageblocks, each with its own free "
                  "lists, watermarks, reclaim lists and kswapd; processes placed on them in turn")
      ->check(CLI::Range(1u, PhysFrames::kMaxNodes))
      ->capture_default_str();
  cmd->add_option("--numa-policy", o.numa_policy,
                  "where processes' frames come from: local (their own node, others when it is full) or "
                  "interleave (every node in turn)")
      ->check(CLI::IsMember({"local", "interleave"}))
      ->capture_default_str();
  cmd->add_option("--user-frames", o.sim.user_frames,
                  "cap on frames holding user pages, page tables aside (0: none)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 28));
}

// What is wrong with a --swap-file path, before anything runs: vmsim makes
// the file itself (model/file_swap_backend.h), so the path must be new and
// its folder writable.
std::optional<std::string> check_swap_file(const std::string& path) {
  if (path.empty()) return std::nullopt;
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) return std::string("is a directory (name a file in it)");
  if (fs::exists(fs::symlink_status(p, ec))) {
    return std::string(
        "already exists: vmsim makes its swap file and removes it when it exits, and will not overwrite a "
        "file it did not make (remove it, or name a new file)");
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) return fmt::format("the folder '{}' does not exist", dir.string());
  if (access(dir.c_str(), W_OK) != 0) return fmt::format("the folder '{}' is not writable", dir.string());
  return std::nullopt;
}

// Watermarks, Sv32's memory limit, tracing: the checks that need several options.
int check_machine(MachineOptions& o) {
  auto& cfg = o.sim;
  const uint64_t frames = cfg.mem_bytes / kPageSize;
  if (!o.watermarks.empty()) {
    const auto parsed = parse_watermarks(o.watermarks);
    if (const auto* why = std::get_if<std::string>(&parsed))
      return bad_usage("--watermarks " + o.watermarks + ": " + *why);
    const Watermarks* w = &std::get<Watermarks>(parsed);
    if (!(w->min < w->low && w->low < w->high)) {
      return bad_usage(fmt::format("--watermarks {}: need MIN < LOW < HIGH, got MIN {}, LOW {}, HIGH {}",
                                   o.watermarks, w->min, w->low, w->high));
    }
    const uint64_t per_node = cfg.nodes > 1 ? frames / cfg.nodes / 512 * 512 : frames;
    if (w->high >= per_node) {
      return bad_usage(cfg.nodes > 1
                           ? fmt::format("--watermarks {}: HIGH must be below the {} frames of each of "
                                         "the {} nodes (the watermarks apply to each node)",
                                         o.watermarks, per_node, cfg.nodes)
                           : fmt::format("--watermarks {}: HIGH must be below the {} frames of memory",
                                         o.watermarks, frames));
    }
    cfg.watermarks = *w;
  }
  if (cfg.nodes > 1 && frames / cfg.nodes < 1024) {  // a pageblock and room for the watermarks, per node
    return bad_usage(fmt::format("--nodes {}: each node needs at least 4 MiB; {} MiB of memory gives {} KiB",
                                 cfg.nodes, cfg.mem_bytes >> 20, cfg.mem_bytes / cfg.nodes >> 10));
  }
  if (cfg.mode == PagingMode::kSv32 && cfg.mem_bytes > (uint64_t{1} << 30)) {
    return bad_usage(
        fmt::format("--mode sv32 maps memory at 0xC0000000, so memory must be at most 1024 MiB (got {} MiB)",
                    cfg.mem_bytes >> 20));
  }
  if (auto bad = check_swap_file(cfg.swap_file))
    return bad_usage("--swap-file " + cfg.swap_file + ": " + *bad);
  if (const int st = choose_device(o.config, cfg.device); st >= 0) return st;
  if (!cfg.trace_path.empty() && !RtlMmuCore::tracing_supported()) {
    return bad_usage(
        "--trace needs the tracing build of the MMU: run 'make trace' (cmake -DVMSIM_TRACE=ON) first");
  }
  return -1;
}

}  // namespace

int choose_device(const std::string& config, std::string& device) {
  if (!config.empty()) {
    if (const int st = device_for_config(config, device); st >= 0) return st;
  }
  if (!device.empty()) {
    if (const std::string err = check_device_library(device); !err.empty())
      return bad_usage((config.empty() ? "--device: " : "--config: ") + err);
  }
  return -1;
}

void add_device_options(CLI::App* cmd, std::string& device, DriverOptions& driver, std::string& config) {
  cmd->add_option("--device", device,
                  "the MMU under test: a device library (docs/device.md); default: vmsim's own MMU")
      ->check(CLI::ExistingFile);
  cmd->add_option("--config", config,
                  "vmsim's MMU in a named configuration (configs/*.json), built on first use and cached");
  cmd->add_option("--mem-stall", driver.mem_stall_percent,
                  "percent of cycles the walker's memory refuses a request (back-pressure)")
      ->check(CLI::Range(0u, 90u))
      ->capture_default_str();
  cmd->add_flag(
      "--tick-through-latency", driver.tick_through_latency,
      "evaluate every cycle of the memory's latency, even for a device that declares itself idle then");
}

void add_machine_options(CLI::App* cmd, MachineOptions& o) {
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
  add_memory_management_options(cmd, o);
  cmd->add_option("--harness", o.harness, "systemc: co-simulation; plain: the same RTL from plain C++")
      ->check(CLI::IsMember({"systemc", "plain"}))
      ->capture_default_str();
  cmd->add_option("--trace", o.sim.trace_path, "write an FST waveform (tracing build only)");
  add_device_options(cmd, o.sim.device, o.sim.driver, o.config);
  cmd->add_flag("--json", o.json, "print one JSON object instead of the text report");
}

int finish_machine_options(MachineOptions& o, uint64_t default_frames, uint64_t default_swap) {
  auto& cfg = o.sim;
  cfg.mode = *parse_paging_mode(o.mode);  // validated by CLI11
  if (!o.frames_opt->count() && !o.mem_opt->count() && default_frames) o.frames = default_frames;
  cfg.mem_bytes = o.frames ? o.frames * kPageSize : o.mem_mib << 20;
  cfg.reclaim = o.reclaim == "on-demand" ? ReclaimMode::kOnDemand : ReclaimMode::kWatermark;
  cfg.thp = o.thp == "always";
  cfg.numa_policy = o.numa_policy == "interleave" ? NumaPolicy::kInterleave : NumaPolicy::kLocal;
  if (!o.swap_opt->count()) {
    cfg.swap_slots =
        default_swap ? default_swap : std::min<uint64_t>(2 * (cfg.mem_bytes / kPageSize), uint64_t{1} << 20);
  }
  return check_machine(o);
}

int check_policy(const MachineOptions& o) {
  // A policy that needs what this run cannot give (OPT without a recorded
  // trace) is a usage error: say so before anything runs.
  try {
    make_policy(o.sim.policy, PolicyArgs{[w = o.sim.workload] { return w ? w->next_use() : nullptr; }});
  } catch (const std::invalid_argument& e) {
    return bad_usage("--policy " + o.sim.policy + ": " + e.what());
  }
  return -1;
}

void note_long_run(uint64_t units, const char* what, double per_second, const std::string& faster) {
  const double minutes = double(units) / per_second / 60;
  if (minutes < 10) return;
  std::cerr << fmt::format(
      "vmsim: {} {} through the RTL take roughly {:.0f} minutes at about {:.1f} M a second on one core "
      "(the checker included){}\n",
      units, what, minutes, per_second / 1e6, faster.empty() ? "" : "; " + faster);
}

static int report_run(const MachineOptions& o, const SimOutcome& out);

int simulate_and_report(const MachineOptions& o) {
  const SimOutcome out = o.harness == "plain" ? run_plain(o.sim) : run_cosim(o.sim);
  if (!out.error.empty()) {
    std::cerr << "vmsim: run failed: " << out.error << "\n";
    return 1;
  }
  const RunReport& r = out.report;
  if (!r.workload.input_error.empty()) {  // found mid-run: the results are of part of the input
    std::cerr << "vmsim: " << r.workload.input_error << "\n";
    return 2;
  }
  const int status = report_run(o, out);
  if (r.runtime.swap_write_errors) {  // the machine simulated was not the one asked for
    std::cerr << fmt::format(
        "vmsim: the host refused {} swap writes (its disk is full, or a file-size limit): the run's "
        "figures are not those of the machine asked for\n",
        r.runtime.swap_write_errors);
    return 2;
  }
  return status;
}

// Prints the report (text or JSON); the run's status.
static int report_run(const MachineOptions& o, const SimOutcome& out) {
  const RunReport& r = out.report;
  if (o.json) {
    auto j = r.to_json();
    if (!out.first_mismatch.empty()) j["check.first_mismatch"] = out.first_mismatch;
    std::cout << j.dump(2) << "\n";
    return r.passed() ? 0 : 1;
  }
  r.print_text(std::cout, out.first_mismatch);
  const size_t n = std::min<size_t>(o.show_invalid, out.invalid_log.size());
  if (n > 0) std::cout << fmt::format("  first {} invalid accesses (reported like a segfault):\n", n);
  for (size_t i = 0; i < n; ++i) {
    const auto& f = out.invalid_log[i];
    std::cout << fmt::format("    pid {} {} {} va 0x{:x}: {}: {}\n", f.pid, to_string(f.priv),
                             to_string(f.access), f.va.value(), to_string(f.cause), f.reason);
  }
  return r.passed() ? 0 : 1;
}

}  // namespace vmsim
