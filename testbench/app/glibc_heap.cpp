#include "testbench/app/glibc_heap.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "testbench/app/glibc_heap_ops.h"
#include "testbench/app/subprocess.h"

namespace vmsim {

namespace {

namespace fs = std::filesystem;

// A temporary file that is removed when this goes.
struct TempFile {
  std::string path;
  explicit TempFile(const char* tag) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/vmsim-" + tag + "-XXXXXX";
    const int fd = mkstemp(pattern.data());
    if (fd >= 0) {
      close(fd);
      path = pattern;
    }
  }
  ~TempFile() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

bool write_ops(const MallocTrace& t, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  const GlibcHeapHeader h{GlibcHeapHeader::kMagic, t.ops.size(), t.ids};
  out.write(reinterpret_cast<const char*>(&h), sizeof h);
  for (const MallocOp& op : t.ops) {
    GlibcHeapOp r;
    r.kind = op.kind == MallocOp::Kind::kAlloc     ? GlibcHeapOp::kMalloc
             : op.kind == MallocOp::Kind::kRealloc ? GlibcHeapOp::kRealloc
                                                   : GlibcHeapOp::kFree;
    r.id = op.id;
    r.size = op.size;
    out.write(reinterpret_cast<const char*>(&r), sizeof r);
  }
  return bool(out.flush());
}

// Runs the helper on the trace with `args` after the file; its output, or
// nullopt with `error` set.
std::optional<std::string> run_helper(const MallocTrace& trace, const std::vector<std::string>& args,
                                      std::string& error) {
  const fs::path helper = fs::canonical("/proc/self/exe").parent_path() / "vmsim-glibc-heap";
  TempFile ops("glibc-ops"), log("glibc-heap");
  if (ops.path.empty() || log.path.empty() || !write_ops(trace, ops.path)) {
    error = "cannot write a temporary file for vmsim-glibc-heap (TMPDIR full?)";
    return std::nullopt;
  }
  std::vector<std::string> argv{helper.string(), ops.path};
  argv.insert(argv.end(), args.begin(), args.end());
  const int rc = run_program(argv, log.path);
  std::ifstream in(log.path);
  std::stringstream text;
  text << in.rdbuf();
  if (rc != 0) {
    error = helper.string() + " exited " + std::to_string(rc) + ": " + text.str().substr(0, 500);
    return std::nullopt;
  }
  return text.str();
}

}  // namespace

std::optional<uint64_t> glibc_peak_heap(const MallocTrace& trace, uint64_t top_pad, std::string& error) {
  const auto out = run_helper(trace, {std::to_string(top_pad)}, error);
  if (!out) return std::nullopt;
  std::istringstream text(*out);
  uint64_t peak = 0;
  if (!(text >> peak)) {
    error = "vmsim-glibc-heap printed no heap size: " + out->substr(0, 500);
    return std::nullopt;
  }
  return peak;
}

std::optional<double> glibc_ops_per_s(const MallocTrace& trace, uint64_t top_pad, double seconds,
                                      std::string& error) {
  const auto out = run_helper(trace, {std::to_string(top_pad), std::to_string(seconds)}, error);
  if (!out) return std::nullopt;
  std::istringstream text(*out);
  uint64_t ops = 0;
  double spent = 0;
  if (!(text >> ops >> spent) || spent <= 0) {
    error = "vmsim-glibc-heap printed no timing: " + out->substr(0, 500);
    return std::nullopt;
  }
  return double(ops) / spent;
}

}  // namespace vmsim
