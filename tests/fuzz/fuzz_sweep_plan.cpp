// Fuzz target: sweep files (testbench/formats/sweep_plan.h), the JSON that
// `vmsim sweep` expands into configurations x traces x option values.
//
// The file is written into a scratch directory that also holds a trace
// (t.lackey) and a configuration (c.json) for it to name; generated
// configurations go to the scratch directory's configs/, emptied after each
// input. Expected: a plan of at most 100,000 jobs, each naming a
// configuration and a trace, with one value per option axis; or an error
// naming the file, of bounded length. Never a crash, and never more files
// written than the plan's configurations.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fuzz_target.h"
#include "testbench/formats/sweep_plan.h"

using namespace vmsim;
namespace fs = std::filesystem;

namespace {

// Made on first use, removed at exit.
struct Scratch {
  Scratch() : dir(fs::temp_directory_path() / ("vmsim-fuzz-sweep-" + std::to_string(getpid()))) {
    fs::create_directories(dir);
    std::ofstream(dir / "t.lackey") << "I  04000000,4\n";
    std::ofstream(dir / "c.json") << R"({"l1_tlb": {"sets": 1, "ways": 16, "policy": "plru"}})"
                                  << "\n";
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path dir;
};

const fs::path& scratch() {
  static const Scratch s;
  return s.dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fs::path dir = scratch();
  const fs::path file = dir / "sweep.json";
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  const fs::path out = dir / "out";
  std::string err;
  const std::optional<SweepPlan> p = load_sweep(file.string(), out.string(), err);
  std::error_code ec;
  size_t written = 0;
  for (auto it = fs::directory_iterator(out / "configs", ec); !ec && it != fs::directory_iterator(); ++it)
    ++written;
  fs::remove_all(out, ec);
  if (!p) {
    FUZZ_EXPECT(err.rfind(file.string(), 0) == 0, "error does not name the file: %s", err.c_str());
    FUZZ_EXPECT(err.size() < 1024, "error message of %zu bytes", err.size());
    FUZZ_EXPECT(written <= 100'000, "%zu configurations written for a refused sweep", written);
    return 0;
  }
  FUZZ_EXPECT(!p->jobs.empty() && p->jobs.size() <= 100'000, "%zu jobs", p->jobs.size());
  FUZZ_EXPECT(written <= p->configs.size(), "%zu files written for %zu configurations", written,
              p->configs.size());
  for (const SweepJob& j : p->jobs) {
    FUZZ_EXPECT(!j.config.empty() && !j.trace.empty(), "job %u without a configuration or trace", j.id);
    FUZZ_EXPECT(j.options.size() == p->axes.size(), "job %u has %zu option values for %zu axes", j.id,
                j.options.size(), p->axes.size());
  }
  return 0;
}
