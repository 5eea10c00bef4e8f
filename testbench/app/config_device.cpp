#include "testbench/app/config_device.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "testbench/app/command.h"
#include "testbench/app/subprocess.h"
#include "testbench/formats/mmu_config.h"

namespace vmsim {

namespace fs = std::filesystem;

namespace {

// FNV-1a, 64 bits: a cache key, not a defence against anyone.
uint64_t fnv1a(uint64_t h, const std::string& bytes) {
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// The sources a device library is built from: a change to any of them is a
// new build.
uint64_t sources_hash(const fs::path& src) {
  std::vector<fs::path> files;
  for (const char* dir : {"rtl", "model/devices"})
    for (const auto& e : fs::directory_iterator(src / dir))
      if (e.is_regular_file()) files.push_back(e.path());
  for (const char* f :
       {"model/device.h", "sw/types.h", "sw/types.cpp", "sw/mmu_port.h", "cmake/devices.cmake"})
    files.push_back(src / f);
  std::sort(files.begin(), files.end());
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    h = fnv1a(h, fs::relative(f, src).string());
    h = fnv1a(h, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }
  return h;
}

fs::path cache_dir() {
  if (const char* d = std::getenv("VMSIM_CACHE_DIR"); d && *d) return d;
  return fs::path(VMSIM_BINARY_DIR) / "config-cache";
}

std::string tail_of(const fs::path& log, size_t lines) {
  std::ifstream in(log);
  std::vector<std::string> all;
  for (std::string l; std::getline(in, l);) all.push_back(l);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += "  " + all[i] + "\n";
  return out;
}

// Builds vmsim's device library for `c` into `dir`; "" or what went wrong.
std::string build(const MmuConfig& c, const fs::path& dir, const std::string& lib) {
  const fs::path work = dir / "build", log = dir / "build.log";
  fs::remove_all(work);
  const unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> configure = {"cmake",
                                        "-S",
                                        VMSIM_SOURCE_DIR,
                                        "-B",
                                        work.string(),
                                        "-DCMAKE_BUILD_TYPE=Release",
                                        "-DVMSIM_TESTS=OFF",
                                        "-DVMSIM_L2TLB_LATENCY=" + std::to_string(c.tlb.l2_latency),
                                        "-DVMSIM_WALKERS=" + std::to_string(c.tlb.walkers),
                                        "-DVMSIM_SLOTS=" + std::to_string(c.tlb.slots)};
  // Each TLB's four cache variables (CMakeLists.txt); ways 0 leaves one out.
  auto tlb_args = [&](const char* prefix, const std::optional<TlbGeometry>& g) {
    const TlbGeometry none{1, 0, TlbPolicy::kPlru, 0};
    const TlbGeometry& t = g ? *g : none;
    configure.push_back(fmt::format("-D{}_SETS={}", prefix, t.sets));
    configure.push_back(fmt::format("-D{}_WAYS={}", prefix, t.ways));
    configure.push_back(fmt::format("-D{}_POLICY={}", prefix, to_string(t.policy)));
    configure.push_back(fmt::format("-D{}_SUPER={}", prefix, t.super_entries));
  };
  tlb_args("VMSIM_TLB", c.tlb.l1);
  tlb_args("VMSIM_ITLB", c.tlb.l1i);
  tlb_args("VMSIM_L2TLB", c.tlb.l2);
  for (unsigned l = 1; l <= kPwcLevels; ++l) {  // entries 0: no page-walk cache at that level
    configure.push_back(fmt::format("-DVMSIM_PWC{}_ENTRIES={}", l, c.tlb.pwc[l - 1].entries));
    configure.push_back(fmt::format("-DVMSIM_PWC{}_POLICY={}", l, to_string(c.tlb.pwc[l - 1].policy)));
  }
  const std::string target = "vmsim_mmu" + std::to_string(c.xlen);
  if (run_program(configure, log.string()) != 0 ||
      run_program({"cmake", "--build", work.string(), "--target", target, "-j", std::to_string(jobs)},
                  log.string()) != 0) {
    return fmt::format("building configuration '{}' failed; the end of {}:\n{}", c.name, log.string(),
                       tail_of(log, 15));
  }
  std::error_code ec;
  fs::rename(work / "devices" / lib, dir / lib, ec);
  if (ec) return fmt::format("cannot move the built library into {}: {}", dir.string(), ec.message());
  fs::remove_all(work, ec);  // the Verilated objects: hundreds of MB, not needed again
  return "";
}

}  // namespace

int device_for_config(const std::string& config_path, std::string& device) {
  if (!device.empty()) return bad_usage("--config and --device both choose the MMU: give one");
  std::string err;
  const std::optional<MmuConfig> c = load_mmu_config(config_path, err);
  if (!c) return bad_usage(err);
  const fs::path src = VMSIM_SOURCE_DIR;
  if (!fs::exists(src / "rtl" / "mmu.f"))
    return bad_usage(fmt::format(
        "--config builds the RTL from vmsim's source tree, which is not at {} any more", src.string()));
  const uint64_t key = fnv1a(sources_hash(src), c->canonical() + " abi=" + std::to_string(kDeviceAbi));
  const fs::path dir = cache_dir() / fmt::format("{}-{:016x}", c->name, key);
  const std::string lib = fmt::format("libvmsim_mmu{}.so", c->xlen);
  device = (dir / lib).string();
  if (fs::exists(device)) return -1;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return bad_usage(fmt::format("cannot create the build cache {}: {}", dir.string(), ec.message()));
  // One build at a time per configuration: the others wait, then find it.
  const int lock = open((dir.string() + ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) return bad_usage("cannot lock the build cache " + dir.string());
  int status = -1;
  if (!fs::exists(device)) {
    std::cerr << fmt::format("vmsim: building configuration '{}' ({}, XLEN {}) once, into {} ...\n", c->name,
                             c->tlb.describe(), c->xlen, dir.string());
    const auto t0 = std::chrono::steady_clock::now();
    if (const std::string e = build(*c, dir, lib); !e.empty()) {
      std::cerr << "vmsim: " << e;
      status = 1;
    } else {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cerr << fmt::format("vmsim: configuration '{}' built in {:.0f} s; later runs load it at once\n",
                               c->name, s);
    }
  }
  close(lock);
  return status;
}

}  // namespace vmsim
