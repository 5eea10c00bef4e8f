// convert_command.cpp: `vmsim convert IN OUT`, any trace vmsim reads into
// its binary trace (testbench/formats/binary_trace.h), so repeated replays
// and sweeps do not parse text again.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "testbench/app/commands.h"
#include "testbench/formats/binary_trace.h"

namespace vmsim {

namespace {

struct ConvertOptions {
  std::string in, out, format = "auto";
};

int run(const ConvertOptions& o) {
  const std::optional<TraceFormat> format = parse_trace_format(o.format);
  if (!format) return bad_usage("--format must be auto, lackey, champsim or vmsim, not '" + o.format + "'");
  std::error_code ec;
  if (o.in != "-" && std::filesystem::equivalent(o.in, o.out, ec))
    return bad_usage("'" + o.out + "' is the input itself; convert writes a new file");
  std::string err;
  auto reader = open_trace(o.in, *format, err);
  if (!reader) return bad_usage(err);
  const std::optional<TraceSummary> s = write_binary_trace(*reader, o.out, err);
  if (!s) return bad_usage(err);
  std::cout << fmt::format("vmsim convert: {} ({}) -> {}: {}\n", o.in, to_string(reader->format()), o.out,
                           describe(*s));
  return 0;
}

}  // namespace

Command add_convert_command(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "write a trace (lackey, ChampSim, possibly compressed) as a vmsim binary trace");
  cmd->add_option("IN", o->in, "the trace to read (- reads standard input)")->required();
  cmd->add_option("OUT", o->out, "the binary trace to write")->required();
  cmd->add_option("--format", o->format, "IN's format: auto, lackey, champsim or vmsim")
      ->capture_default_str();
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
