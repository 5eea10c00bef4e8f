#include "testbench/formats/malloc_trace.h"

#include <fmt/format.h>

#include <sstream>
#include <vector>

namespace vmsim {

namespace {
bool parse_u64(const std::string& s, uint64_t& v) {
  if (s.empty() || s.size() > 19) return false;
  v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
  }
  return true;
}
}  // namespace

std::optional<MallocTrace> parse_malloc_trace(std::istream& in, const std::string& name, std::string& error) {
  MallocTrace t;
  std::string line;
  bool in_header = true;
  unsigned header_fields = 0;
  std::vector<bool> live;
  for (unsigned n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream ss(line);
    std::vector<std::string> f;
    for (std::string w; ss >> w;) f.push_back(w);
    if (f.empty()) continue;
    auto fail = [&](const std::string& what) {
      error = fmt::format("{}:{}: {} (in '{}')", name, n, what, line);
      return std::nullopt;
    };
    uint64_t v = 0;
    if (in_header && f.size() == 1 && parse_u64(f[0], v)) {  // a header number
      if (++header_fields > 4) return fail("more than four header numbers before the first operation");
      continue;
    }
    in_header = false;
    MallocOp op{};
    op.line = n;
    uint64_t id = 0;
    if (f[0] == "a" || f[0] == "r") {
      if (f.size() != 3 || !parse_u64(f[1], id) || !parse_u64(f[2], op.size)) {
        return fail("expected '" + f[0] + " ID SIZE' with decimal numbers");
      }
      op.kind = f[0] == "a" ? MallocOp::Kind::kAlloc : MallocOp::Kind::kRealloc;
    } else if (f[0] == "f") {
      if (f.size() != 2 || !parse_u64(f[1], id)) return fail("expected 'f ID' with a decimal number");
      op.kind = MallocOp::Kind::kFree;
    } else {
      return fail("expected 'a ID SIZE', 'r ID SIZE' or 'f ID'");
    }
    if (id > 10'000'000) return fail("id is implausibly large");
    if (op.size > (uint64_t{1} << 40)) return fail("size is implausibly large");
    op.id = uint32_t(id);
    if (live.size() <= id) live.resize(id + 1, false);
    // Trace semantics, checked up front so a replay never misbehaves on them.
    if (op.kind == MallocOp::Kind::kAlloc && live[id])
      return fail(fmt::format("id {} is allocated twice", id));
    if (op.kind != MallocOp::Kind::kAlloc && !live[id]) {
      return fail(fmt::format("id {} is {} before it is allocated", id,
                              op.kind == MallocOp::Kind::kFree ? "freed" : "reallocated"));
    }
    live[id] = op.kind != MallocOp::Kind::kFree;
    t.ops.push_back(op);
  }
  t.ids = live.size();
  return t;
}

}  // namespace vmsim
