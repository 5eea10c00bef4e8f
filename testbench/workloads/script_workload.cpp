// script_workload.cpp: `vmsim run --workload script --script FILE`, a guest
// program written as a list of memory system calls and accesses, one a line:
//
//   # a comment; blank lines are skipped
//   file  NAME BYTES [SEED]                         make a file (its bytes: file_pattern(SEED, offset))
//   map   NAME anon BYTES [rw|ro]                   mmap anonymous memory, named NAME
//   map   NAME file FILE OFFSET BYTES shared|private [rw|ro]
//   store NAME OFFSET VALUE                         8-byte store at NAME's start + OFFSET
//   load  NAME OFFSET [VALUE]                       8-byte load; with VALUE, the value is checked
//   msync NAME                                      write NAME's dirty file pages back
//   munmap NAME
//   sync                                            write every dirty file page back
//
// Numbers are decimal or 0x-hex. The whole file is parsed before anything
// runs: a malformed line is an error naming FILE:LINE (exit 2). So is a
// call the kernel refuses (an mmap past the end of a file, an msync of
// anonymous memory) and an access outside the mapping it names: a script
// says what should happen, and a refusal means the script is wrong.
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "testbench/workloads/workload.h"

namespace vmsim {

namespace {

constexpr uint64_t kMaxBytes = uint64_t{1} << 40;
constexpr size_t kMaxLines = 1'000'000;

struct Step {
  size_t line = 0;
  std::string op, name;
  std::vector<std::string> args;
};

std::optional<uint64_t> number(const std::string& s) {
  if (s.empty() || s[0] == '-' || s[0] == '+') return std::nullopt;
  size_t used = 0;
  try {
    const uint64_t v = std::stoull(s, &used, 0);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

class ScriptWorkload final : public Workload {
 public:
  explicit ScriptWorkload(const std::string& path) : path_(path) { parse(); }
  std::string name() const override { return "script"; }
  std::string description() const override { return "script " + path_; }

  WorkloadResult run(GuestRuntime& rt) override {
    WorkloadResult r;
    for (const Step& s : steps_) {
      if (!rt.current().alive) break;
      const std::string err = execute(rt, s, r);
      if (!err.empty()) {
        r.input_error = fmt::format("{}:{}: {}", path_, s.line, err);
        break;
      }
    }
    r.figures["script.steps"] = steps_.size();
    r.figures["script.loads_checked"] = checked_;
    r.lines.push_back(
        fmt::format("  script             {} steps, {} loads checked", steps_.size(), checked_));
    return r;
  }

 private:
  struct Mapping {
    VirtAddr at;
    uint64_t bytes;
  };

  [[noreturn]] void bad(size_t line, const std::string& what) const {
    throw std::invalid_argument(fmt::format("{}:{}: {}", path_, line, what));
  }

  void parse() {
    std::ifstream in(path_);
    if (!in) throw std::invalid_argument("--script " + path_ + ": cannot be read");
    std::string text;
    size_t line = 0;
    while (std::getline(in, text)) {
      if (++line > kMaxLines) bad(line, fmt::format("more than {} lines", kMaxLines));
      if (const size_t hash = text.find('#'); hash != std::string::npos) text.resize(hash);
      std::istringstream words(text);
      Step s{line, {}, {}, {}};
      if (!(words >> s.op)) continue;
      for (std::string w; words >> w;) s.args.push_back(w);
      check_step(s);
      steps_.push_back(std::move(s));
    }
    if (in.bad()) throw std::invalid_argument("--script " + path_ + ": read error");
  }

  // The shape of a line: its operation, how many arguments, which are numbers.
  void check_step(Step& s) {
    struct Shape {
      const char* op;
      size_t min_args, max_args;
    };
    static const Shape shapes[] = {{"file", 2, 3},  {"map", 3, 7},    {"store", 3, 3}, {"load", 2, 3},
                                   {"msync", 1, 1}, {"munmap", 1, 1}, {"sync", 0, 0}};
    const Shape* shape = nullptr;
    for (const Shape& sh : shapes) {
      if (s.op == sh.op) shape = &sh;
    }
    if (!shape) bad(s.line, "unknown operation '" + s.op + "' (file, map, store, load, msync, munmap, sync)");
    if (s.args.size() < shape->min_args || s.args.size() > shape->max_args)
      bad(s.line, fmt::format("'{}' takes {} to {} arguments, not {}", s.op, shape->min_args, shape->max_args,
                              s.args.size()));
    if (!s.args.empty()) {
      s.name = s.args.front();
      s.args.erase(s.args.begin());
    }
    if (s.op == "map") return check_map(s);
    for (const std::string& a : s.args) {  // file BYTES SEED, store OFFSET VALUE, load OFFSET VALUE
      if (!number(a)) bad(s.line, "'" + a + "' is not a number");
    }
    if (s.op == "file" && *number(s.args[0]) > kMaxBytes) bad(s.line, "a file is at most 1 TiB");
  }

  void check_map(const Step& s) const {
    const auto& a = s.args;
    const bool anon = a[0] == "anon";
    if (!anon && a[0] != "file") bad(s.line, "map NAME anon ... or map NAME file ..., not '" + a[0] + "'");
    const size_t fixed = anon ? 2 : 5;  // anon BYTES | file FILE OFFSET BYTES shared|private
    if (a.size() < fixed || a.size() > fixed + 1)
      bad(s.line,
          anon ? "map NAME anon BYTES [rw|ro]" : "map NAME file FILE OFFSET BYTES shared|private [rw|ro]");
    for (size_t i = anon ? 1 : 2; i < fixed - (anon ? 0 : 1); ++i) {
      if (!number(a[i])) bad(s.line, "'" + a[i] + "' is not a number");
    }
    if (*number(a[anon ? 1 : 3]) > kMaxBytes) bad(s.line, "a mapping is at most 1 TiB");
    if (!anon && a[4] != "shared" && a[4] != "private") bad(s.line, "'" + a[4] + "': shared or private");
    if (a.size() == fixed + 1 && a[fixed] != "rw" && a[fixed] != "ro")
      bad(s.line, "'" + a[fixed] + "': rw or ro");
  }

  std::string execute(GuestRuntime& rt, const Step& s, WorkloadResult& r) {
    if (s.op == "file") {
      if (files_.count(s.name)) return "file '" + s.name + "' exists already";
      const auto f = rt.create_file(s.name, *number(s.args[0]), s.args.size() > 1 ? *number(s.args[1]) : 0);
      if (!f) return "the file store has no room for file '" + s.name + "'";
      files_[s.name] = *f;
      return {};
    }
    if (s.op == "sync") return rt.sync_files() ? std::string() : "sync: a write to a file failed";
    if (s.op == "map") return map(rt, s);
    auto m = maps_.find(s.name);
    if (m == maps_.end()) return "no mapping named '" + s.name + "'";
    if (s.op == "msync") return rt.msync(m->second.at, m->second.bytes);
    if (s.op == "munmap") {
      if (!rt.munmap(m->second.at, m->second.bytes)) return "munmap failed";
      maps_.erase(m);
      return {};
    }
    const uint64_t off = *number(s.args[0]);
    if (off % 8 || off + 8 > m->second.bytes)
      return fmt::format("offset {:#x} is not an aligned word inside '{}' ({} bytes)", off, s.name,
                         m->second.bytes);
    const VirtAddr va{m->second.at.value() + off};
    const AccessResult a =
        s.op == "store" ? rt.store(va, *number(s.args[1]), 8, Priv::kUser) : rt.load(va, 8, Priv::kUser);
    if (!a.ok)
      return fmt::format("{} at '{}' + {:#x} faulted: {}", s.op, s.name, off, a.fault ? a.fault->reason : "");
    if (s.op == "load" && s.args.size() > 1) {
      ++checked_;
      if (a.value != *number(s.args[1])) {
        ++r.data_mismatches;
        r.error(fmt::format("{}:{}: load read {:#x}, the script expects {:#x}", path_, s.line, a.value,
                            *number(s.args[1])));
      }
    }
    return {};
  }

  std::string map(GuestRuntime& rt, const Step& s) {
    if (maps_.count(s.name)) return "a mapping named '" + s.name + "' exists already";
    const auto& a = s.args;
    const bool anon = a[0] == "anon";
    const size_t fixed = anon ? 2 : 5;
    const bool ro = a.size() > fixed && a[fixed] == "ro";
    const Perms perms{true, !ro, false, true};
    const uint64_t bytes = *number(a[anon ? 1 : 3]);
    if (anon) {
      const auto at = rt.mmap(bytes, perms);
      if (!at) return fmt::format("mmap of {} bytes of anonymous memory failed", bytes);
      maps_[s.name] = {*at, bytes};
      return {};
    }
    auto f = files_.find(a[1]);
    if (f == files_.end()) return "no file named '" + a[1] + "'";
    const MemorySyscalls::FileMapping m =
        rt.mmap_file(f->second, *number(a[2]), bytes, perms, a[4] == "shared");
    if (!m.at) return m.error;
    maps_[s.name] = {*m.at, bytes};
    return {};
  }

  std::string path_;
  std::vector<Step> steps_;
  std::map<std::string, FileId> files_;
  std::map<std::string, Mapping> maps_;
  uint64_t checked_ = 0;
};

std::unique_ptr<Workload> make_script(const WorkloadOptions& o) {
  if (o.script.empty()) throw std::invalid_argument("--workload script needs --script FILE");
  return std::make_unique<ScriptWorkload>(o.script);
}

}  // namespace

VMSIM_REGISTER_WORKLOAD(
    script, "script",
    "a guest program as a list of calls (file, map, store, load, msync, munmap): --script FILE", 0, 0,
    make_script);

}  // namespace vmsim
