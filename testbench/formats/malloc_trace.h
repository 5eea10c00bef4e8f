// malloc_trace.h: the CS:APP malloc-lab trace format (.rep).
//
//   20000        suggested heap size   } a header of up to four integers;
//   2            number of ids         } all are optional, and traces in the
//   5            number of operations  } wild carry three or four of them
//   1            weight                }
//   a 0 512      allocate block id 0 of 512 bytes
//   r 0 1024     reallocate block 0 to 1024 bytes
//   f 0          free block 0
//
// With C's meaning, as real programs' traces use them: `r ID SIZE` on an id
// that holds no block is realloc(NULL, SIZE); `r ID 0` frees the block and
// leaves the id holding NULL (glibc's realloc(p, 0)); `f ID` of an id
// holding NULL and `f -1` are free(NULL); `a ID` without a size is
// malloc(0). Freeing or reallocating a freed id (a double free), freeing an
// id never allocated, and allocating an id that holds a block are errors.
//
// CRLF line endings and blank lines are accepted; any other line is an
// error reported with its line number.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace vmsim {

struct MallocOp {
  enum class Kind : uint8_t { kAlloc, kRealloc, kFree } kind;
  uint32_t id;
  uint64_t size;  // 0 for free
  unsigned line;
};

struct MallocTrace {
  static constexpr uint64_t kMaxId = 10'000'000;
  static constexpr uint64_t kMaxSize = uint64_t{1} << 40;
  static constexpr uint32_t kNullId = ~uint32_t{0};  // `f -1` while parsing; then an id of its own
  uint64_t ids = 0;              // one more than the largest id used (with `f -1`'s slot, if any)
  uint64_t peak_live_bytes = 0;  // the most payload the trace holds at once (what a replay needs)
  std::vector<MallocOp> ops;
};

std::optional<MallocTrace> parse_malloc_trace(std::istream& in, const std::string& name, std::string& error);

}  // namespace vmsim
