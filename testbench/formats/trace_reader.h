// trace_reader.h: memory-reference traces, read as a stream.
//
// A trace becomes a reference string: one TraceRef per page an access
// touches, in order. Readers hand it out in blocks, so replaying a trace
// takes the same memory whether it has ten thousand references or ten
// billion. Three formats, each possibly gzip-, xz- or zstd-compressed
// (byte_source.h):
//
//   lackey    valgrind's `--tool=lackey --trace-mem=yes` text (lackey_trace.h)
//   champsim  ChampSim's 64-byte instruction records, as distributed (.champsimtrace.xz)
//   vmsim     vmsim's own binary reference string (binary_trace.h), which
//             `vmsim convert` writes so repeated replays skip text parsing
//
// A malformed input is an error naming the file and the line (text) or
// record (binary), found while reading: callers stop and report it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sw/types.h"
#include "testbench/formats/byte_source.h"

namespace vmsim {

struct TraceRef {
  uint64_t addr;  // first byte the access touches in this page
  Access access;
};

enum class TraceFormat { kAuto, kLackey, kChampSim, kVmsim };
const char* to_string(TraceFormat f);
std::optional<TraceFormat> parse_trace_format(const std::string& s);  // "auto", "lackey", ...

// What a whole trace holds, from one pass over it (or from the header of a
// vmsim binary trace, which records it).
struct TraceSummary {
  uint64_t lines = 0;  // source units: lackey data lines, ChampSim instructions
  uint64_t references = 0, loads = 0, stores = 0, fetches = 0;
  uint64_t distinct_pages = 0;  // distinct 4 KiB pages
  // The lowest and highest address referenced, when a pass over the trace
  // saw them (a binary trace's header does not hold them).
  bool has_range = false;
  uint64_t min_addr = 0, max_addr = 0;
};

// "745834 lines, 748722 references (139020 loads, 58452 stores, 551250
// fetches), 267 distinct pages"
std::string describe(const TraceSummary& s);

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // Up to `n` references into `out`; 0 at the end, or on an error (error()).
  virtual size_t read(TraceRef* out, size_t n) = 0;
  // Source units read so far (the line or record an error is in).
  virtual uint64_t lines() const = 0;
  // Where the last reference read came from: "FILE:LINE" for text,
  // "FILE: record N" for binary formats.
  virtual std::string where() const = 0;
  virtual TraceFormat format() const = 0;
  // The summary the file declares, when its format records one.
  virtual std::optional<TraceSummary> declared_summary() const { return std::nullopt; }
  // "FILE:LINE: what is wrong", or empty.
  const std::string& error() const { return error_; }

 protected:
  void fail(std::string what) {
    if (error_.empty()) error_ = std::move(what);
  }

 private:
  std::string error_;
};

// A reader whose source units (a lackey line, a ChampSim record) each become
// a few references: it decodes one unit at a time and hands its references
// out across read() calls, whatever their block size.
class UnitReader : public TraceReader {
 public:
  size_t read(TraceRef* out, size_t n) final;

 protected:
  // Decodes the next unit, appending its references to unit_; false at the
  // end or on an error.
  virtual bool next_unit() = 0;
  std::vector<TraceRef> unit_;

 private:
  size_t unit_pos_ = 0;  // unit_[0, unit_pos_) are handed out
};

// Opens `path` ("-": standard input) in `format`. kAuto: a vmsim binary trace
// by its magic, ChampSim when the name contains ".champsim", else lackey.
// nullptr, with `err` set, when it cannot be opened.
std::unique_ptr<TraceReader> open_trace(const std::string& path, TraceFormat format, std::string& err);

// Readers over bytes already open (block_input.h). binary_reader expects
// the magic first.
class BlockInput;
std::unique_ptr<TraceReader> lackey_reader(BlockInput in);
std::unique_ptr<TraceReader> champsim_reader(BlockInput in);
std::unique_ptr<TraceReader> binary_reader(BlockInput in);

// Reads the trace to its end, counting. nullopt, with `err` set, on an error.
std::optional<TraceSummary> summarize(TraceReader& r, std::string& err);

// The first reference at or above `limit`, and where it is; nullopt when
// there is none (or the trace cannot be read).
struct TraceLocation {
  TraceRef ref;
  std::string where;
};
std::optional<TraceLocation> find_first_at_or_above(const std::string& path, TraceFormat format,
                                                    uint64_t limit);

// The summary: the declared one when the format has it, else one pass.
std::optional<TraceSummary> summarize_file(const std::string& path, TraceFormat format, std::string& err);

}  // namespace vmsim
