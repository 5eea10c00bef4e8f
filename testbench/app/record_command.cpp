// record_command.cpp: `vmsim record -o FILE -- CMD ARGS`, a program's memory
// trace recorded with valgrind's lackey tool, ready for `vmsim trace`.
//
// The output's name says its form: FILE.vtr is converted to vmsim's binary
// trace, anything else stays lackey text; a final .gz, .xz or .zst
// compresses it with that tool. The command runs directly (execvp, no
// shell), with valgrind's messages in the same file, where the trace
// readers skip them.
#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include "testbench/app/commands.h"
#include "testbench/app/subprocess.h"
#include "testbench/formats/binary_trace.h"

namespace vmsim {

namespace {

struct RecordOptions {
  std::string out;
  std::vector<std::string> command;
};

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The compressor a name asks for (its tool and suffix), or none.
std::pair<std::string, std::string> compressor_for(const std::string& name) {
  for (auto [suffix, tool] : {std::pair{".gz", "gzip"}, {".xz", "xz"}, {".zst", "zstd"}})
    if (ends_with(name, suffix)) return {tool, suffix};
  return {"", ""};
}

int run(const RecordOptions& o) {
  if (o.command.empty()) return bad_usage("record needs a command: vmsim record -o FILE -- CMD ARGS");
  if (!on_path("valgrind")) return bad_usage("valgrind is not installed (Debian: apt-get install valgrind)");
  const auto [tool, suffix] = compressor_for(o.out);
  const std::string stem = o.out.substr(0, o.out.size() - suffix.size());
  const bool binary = ends_with(stem, ".vtr");
  const std::string lackey = binary ? stem + ".lackey.tmp" : stem;
  std::vector<std::string> argv = {"valgrind", "--tool=lackey", "--trace-mem=yes", "--log-file=" + lackey};
  argv.insert(argv.end(), o.command.begin(), o.command.end());
  std::cerr << fmt::format("vmsim record: running {} under valgrind lackey\n", o.command[0]);
  const int status = run_program(argv);
  if (status < 0 || status == 127) {
    std::remove(lackey.c_str());
    return bad_usage("cannot run valgrind on '" + o.command[0] + "'");
  }
  if (status != 0)
    std::cerr << fmt::format("vmsim record: {} exited with status {}; its trace is kept\n", o.command[0],
                             status);
  std::string err;
  if (binary) {
    auto reader = open_trace(lackey, TraceFormat::kLackey, err);
    const auto s = reader ? write_binary_trace(*reader, stem, err) : std::nullopt;
    std::remove(lackey.c_str());
    if (!s) return bad_usage(err);
  }
  if (!tool.empty() && run_program({tool, "-q", "-f", stem}) != 0)
    return bad_usage(fmt::format("{} could not compress '{}'", tool, stem));
  const std::optional<TraceSummary> s = summarize_file(o.out, TraceFormat::kAuto, err);
  if (!s) return bad_usage(err);
  std::cout << fmt::format(
      "vmsim record: {}: {} lines, {} references ({} loads, {} stores, {} fetches), {} "
      "distinct pages\n",
      o.out, s->lines, s->references, s->loads, s->stores, s->fetches, s->distinct_pages);
  return 0;
}

}  // namespace

Command add_record_command(CLI::App& app) {
  auto o = std::make_shared<RecordOptions>();
  CLI::App* cmd =
      app.add_subcommand("record", "run a program under valgrind lackey and write its memory trace");
  cmd->add_option("-o,--output", o->out,
                  "the trace to write: NAME.vtr is vmsim's binary trace, other names lackey text; a final "
                  ".gz, .xz or .zst compresses it")
      ->required();
  cmd->add_option("CMD", o->command, "the program and its arguments (after --)")->required();
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
