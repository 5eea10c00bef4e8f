// lackey_trace.h: valgrind lackey memory traces (`--tool=lackey --trace-mem=yes`),
// the format of the CS:APP cache lab:
//
//   I  0400d7d4,8      instruction fetch   (I in column 0)
//    L 7ff0005b8,8     load                (space, then the operation)
//    S 7ff0005b8,8     store
//    M 0421c7f0,4      modify: load then store
//
// Address in hex, size in decimal. Lines starting with "==" (valgrind's own
// messages) and blank lines are skipped; anything else is an error reported
// with its line number.
//
// The trace becomes a reference string: one entry per page an access
// touches (an access that crosses a page boundary touches two), in order.
// A modify is a load and a store of the same bytes.
//
// LackeyReader streams a file (trace_reader.h); LackeyTrace holds a whole
// trace in memory, for tests and small tools.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "testbench/formats/trace_reader.h"

namespace vmsim {

struct LackeyTrace {
  uint64_t lines = 0;  // data lines read
  std::vector<TraceRef> refs;
};

struct TraceError {
  std::string message;  // "FILE:LINE: what is wrong"
};

// The whole trace in memory.
std::optional<LackeyTrace> parse_lackey(std::istream& in, const std::string& name,
                                        std::optional<TraceError>& err);

// Reads a LackeyTrace back as a stream (a workload replays either alike).
std::unique_ptr<TraceReader> memory_reader(std::shared_ptr<const LackeyTrace> trace);

// For each reference of a stream, the index of the next reference to the
// same page: reads the whole trace (8 bytes per reference; only OPT asks).
std::shared_ptr<std::vector<uint64_t>> next_use_of(TraceReader& r);

}  // namespace vmsim
