// binary_trace.h: vmsim's binary trace, a reference string stored as it is
// replayed, so repeated replays skip parsing text (`vmsim convert` writes it).
//
// Little-endian throughout. A 64-byte header, then one 8-byte record per
// page reference:
//
//   offset  field
//    0      magic "VMSIMTRC"
//    8      u32 version (1)
//   12      u32 header bytes (64)
//   16      u64 references           (the number of records that follow)
//   24      u64 source lines         (lackey lines or ChampSim instructions)
//   32      u64 distinct 4 KiB pages
//   40      u64 loads, 48 u64 stores, 56 u64 fetches
//
//   record: bits 61..0 the address, bits 63..62 the access (0 load, 1 store,
//           2 fetch; 3 is malformed)
//
// The header's counts let a replay size its machine without a first pass.
// Addresses of 2^62 and up cannot be stored and are refused when writing.
// A file may be compressed after writing (zstd, xz, gzip): it still reads.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <unordered_set>

#include "testbench/formats/block_input.h"
#include "testbench/formats/trace_reader.h"

namespace vmsim {

inline constexpr char kBinaryTraceMagic[8] = {'V', 'M', 'S', 'I', 'M', 'T', 'R', 'C'};
inline constexpr unsigned kBinaryTraceHeader = 64;

// Writes a binary trace: records as they come, the header last.
class BinaryTraceWriter {
 public:
  // nullptr, with `err` set, when `path` cannot be created.
  static std::unique_ptr<BinaryTraceWriter> create(const std::string& path, std::string& err);
  ~BinaryTraceWriter();
  BinaryTraceWriter(const BinaryTraceWriter&) = delete;
  BinaryTraceWriter& operator=(const BinaryTraceWriter&) = delete;
  // false, with error() set, for an address the format cannot hold or a
  // failed write.
  bool add(const TraceRef& r);
  // Writes the header; `lines` is the source's count. false on a write error.
  bool finish(uint64_t lines);
  const std::string& error() const { return error_; }
  const TraceSummary& summary() const { return sum_; }

 private:
  BinaryTraceWriter(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}
  bool write(const void* p, size_t n);
  std::FILE* f_;
  std::string path_, error_;
  TraceSummary sum_;
  std::unordered_set<uint64_t> pages_;
};

// Reads `in` to its end into a new binary trace at `path`; the summary it
// wrote, or nullopt with `err` set (the partial file is removed).
std::optional<TraceSummary> write_binary_trace(TraceReader& in, const std::string& path, std::string& err);

}  // namespace vmsim
