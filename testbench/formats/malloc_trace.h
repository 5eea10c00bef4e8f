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
  uint64_t ids = 0;  // one more than the largest id used
  std::vector<MallocOp> ops;
};

std::optional<MallocTrace> parse_malloc_trace(std::istream& in, const std::string& name, std::string& error);

}  // namespace vmsim
