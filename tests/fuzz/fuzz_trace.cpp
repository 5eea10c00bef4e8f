// Fuzz target: the address-trace readers (testbench/formats/trace_reader.h):
// format detection, gzip/xz/zstd decompression, lackey, ChampSim and vmsim
// binary traces, and the whole-trace lackey parser the runtime's trace
// workload uses. The first byte picks the format to ask for (or auto); the
// rest is the file.
//
// Expected: references, then either a clean end or an error that names the
// file; the reader's line count never goes backwards. Never a crash. At most
// a million references are read per input, to keep executions fast.
#include <sstream>

#include "fuzz_input.h"
#include "fuzz_target.h"
#include "memfd_file.h"
#include "testbench/formats/lackey_trace.h"
#include "testbench/formats/trace_reader.h"

using namespace vmsim;

namespace {

constexpr uint64_t kMaxRefs = 1'000'000;

void read_all(TraceReader& r, const std::string& path) {
  std::vector<TraceRef> block(4096);
  uint64_t refs = 0, lines = 0;
  while (refs < kMaxRefs) {
    const size_t n = r.read(block.data(), block.size());
    FUZZ_EXPECT(r.lines() >= lines, "line count went backwards");
    lines = r.lines();
    if (n == 0) break;
    FUZZ_EXPECT(n <= block.size(), "read more than asked");
    for (size_t i = 0; i < n; ++i) FUZZ_EXPECT(unsigned(block[i].access) <= 2, "bad access kind");
    refs += n;
  }
  if (!r.error().empty())
    FUZZ_EXPECT(r.error().find(path) != std::string::npos, "error does not name the file: %s",
                r.error().c_str());
  FUZZ_EXPECT(r.error().size() < 1024, "error message of %zu bytes", r.error().size());
  (void)r.where();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  const uint8_t pick = in.u8() % 5;
  const size_t used = size - in.left();
  if (pick == 4) {  // the lackey parser that holds the whole trace
    std::istringstream text(in.rest());
    std::optional<TraceError> err;
    const std::optional<LackeyTrace> t = parse_lackey(text, "fuzz.lackey", err);
    FUZZ_EXPECT(t.has_value() != err.has_value(), "a trace and an error, or neither");
    return 0;
  }
  const fuzz::MemFile file(data + used, size - used);
  const TraceFormat format = pick == 0   ? TraceFormat::kAuto
                             : pick == 1 ? TraceFormat::kLackey
                             : pick == 2 ? TraceFormat::kChampSim
                                         : TraceFormat::kVmsim;
  std::string err;
  const std::unique_ptr<TraceReader> r = open_trace(file.path(), format, err);
  if (!r) {
    FUZZ_EXPECT(!err.empty(), "no reader and no error");
    return 0;
  }
  read_all(*r, file.path());
  return 0;
}
