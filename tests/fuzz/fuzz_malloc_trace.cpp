// Fuzz target: the malloc-lab trace (.rep) parser
// (testbench/formats/malloc_trace.h).
//
// Expected: a trace whose operations name ids below `ids`, sizes within the
// limit, lines in order; or an error naming "FILE:LINE:" (or the file),
// bounded in length. Never a crash.
#include <sstream>

#include "fuzz_target.h"
#include "testbench/formats/malloc_trace.h"

using namespace vmsim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream text(std::string(reinterpret_cast<const char*>(data), size));
  std::string error;
  const std::optional<MallocTrace> t = parse_malloc_trace(text, "fuzz.rep", error);
  if (!t) {
    FUZZ_EXPECT(error.rfind("fuzz.rep", 0) == 0, "error does not name the file: %s", error.c_str());
    FUZZ_EXPECT(error.size() < 512, "error message of %zu bytes", error.size());
    return 0;
  }
  FUZZ_EXPECT(t->ids <= MallocTrace::kMaxId + 1, "ids %llu over the limit", (unsigned long long)t->ids);
  unsigned line = 0;
  for (const MallocOp& op : t->ops) {
    FUZZ_EXPECT(op.id < t->ids, "op on id %u, but ids = %llu", op.id, (unsigned long long)t->ids);
    FUZZ_EXPECT(op.size <= MallocTrace::kMaxSize, "size %llu over the limit", (unsigned long long)op.size);
    FUZZ_EXPECT(op.line > line, "line numbers out of order");
    line = op.line;
  }
  return 0;
}
