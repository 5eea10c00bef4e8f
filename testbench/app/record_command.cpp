// record_command.cpp: `vmsim record -o FILE -- CMD ARGS`, a program's memory
// trace recorded with valgrind's lackey tool, ready for `vmsim trace`.
//
// The output's name says its form: FILE.vtr is converted to vmsim's binary
// trace, anything else stays lackey text; a final .gz, .xz or .zst
// compresses it with that tool. The command runs directly (execvp, no
// shell), with valgrind's messages in the same file, where the trace
// readers skip them.
#include <fmt/format.h>
#include <unistd.h>

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

std::vector<std::string> valgrind(const std::vector<std::string>& command, const std::string& log_option) {
  std::vector<std::string> argv = {"valgrind", "--tool=lackey", "--trace-mem=yes", log_option};
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

// Lackey text, straight into `path`. The command's status.
int record_text(const std::vector<std::string>& command, const std::string& path) {
  return run_program(valgrind(command, "--log-file=" + path));
}

// Lackey's output through a pipe, converted as it comes: no text file, which
// for a few seconds of a real program would be gigabytes. The command's
// status; `err` set when the conversion failed.
int record_binary(const std::vector<std::string>& command, const std::string& path, std::string& err) {
  constexpr int kLogFd = 3;  // valgrind moves it out of the program's way
  int fds[2];
  if (pipe(fds) != 0) {
    err = "cannot make a pipe for valgrind's output";
    return -1;
  }
  const int pid = spawn_program(valgrind(command, "--log-fd=" + std::to_string(kLogFd)), fds[1], kLogFd);
  close(fds[1]);  // the child's copy is the only writer: its exit is the end of the trace
  std::optional<TraceSummary> s;
  if (auto reader = open_trace("/dev/fd/" + std::to_string(fds[0]), TraceFormat::kLackey, err)) {
    s = write_binary_trace(*reader, path, err);
  }
  close(fds[0]);
  const int status = wait_program(pid);
  if (!s && err.empty()) err = "no trace was written";
  return status;
}

int run(const RecordOptions& o) {
  if (o.command.empty()) return bad_usage("record needs a command: vmsim record -o FILE -- CMD ARGS");
  if (!on_path("valgrind")) return bad_usage("valgrind is not installed (Debian: apt-get install valgrind)");
  const auto [tool, suffix] = compressor_for(o.out);
  const std::string stem = o.out.substr(0, o.out.size() - suffix.size());
  std::cerr << fmt::format("vmsim record: running {} under valgrind lackey\n", o.command[0]);
  std::string err;
  const int status =
      ends_with(stem, ".vtr") ? record_binary(o.command, stem, err) : record_text(o.command, stem);
  if (!err.empty()) return bad_usage(err);
  if (status < 0 || status == 127) {
    std::remove(stem.c_str());  // nothing was recorded: leave no file that looks like a trace
    return bad_usage("cannot run valgrind on '" + o.command[0] + "'");
  }
  if (status != 0)
    std::cerr << fmt::format("vmsim record: {} exited with status {}; its trace is kept\n", o.command[0],
                             status);
  if (!tool.empty() && run_program({tool, "-q", "-f", stem}) != 0)
    return bad_usage(fmt::format("{} could not compress '{}'", tool, stem));
  const std::optional<TraceSummary> s = summarize_file(o.out, TraceFormat::kAuto, err);
  if (!s) return bad_usage(err);
  std::cout << fmt::format("vmsim record: {}: {}\n", o.out, describe(*s));
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
