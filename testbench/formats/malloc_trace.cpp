#include "testbench/formats/malloc_trace.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "testbench/formats/line_input.h"

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

// What a trace id holds at a point of the trace, as C sees the pointer
// variable it stands for.
enum class IdState : uint8_t {
  kNever,  // never assigned: freeing or reallocating it is a trace error
  kLive,   // holds a block
  kNull,   // holds NULL, from realloc(p, 0)
  kFreed,  // holds a freed pointer: freeing or reallocating it again is an error
};

// A line's operation, or an error message. C's semantics for the cases
// real programs' traces contain: `r ID SIZE` on an id that holds no block is
// realloc(NULL, SIZE), a malloc; `f -1` is free(NULL), a no-op; `a ID` with
// the size left out is malloc(0).
std::optional<std::string> parse_op(const std::vector<std::string>& f, MallocOp& op, bool& free_null) {
  uint64_t id = 0;
  free_null = false;
  if (f[0] == "a" || f[0] == "r") {
    const bool sized = f.size() == 3 && parse_u64(f[2], op.size);
    const bool unsized = f[0] == "a" && f.size() == 2;  // malloc(0)
    if (!(sized || unsized) || !parse_u64(f[1], id)) {
      return "expected '" + f[0] + " ID SIZE' with decimal numbers";
    }
    if (unsized) op.size = 0;
    op.kind = f[0] == "a" ? MallocOp::Kind::kAlloc : MallocOp::Kind::kRealloc;
  } else if (f[0] == "f") {
    if (f.size() == 2 && f[1] == "-1") {
      free_null = true;
    } else if (f.size() != 2 || !parse_u64(f[1], id)) {
      return std::string("expected 'f ID' with a decimal number, or 'f -1' (free(NULL))");
    }
    op.kind = MallocOp::Kind::kFree;
  } else {
    return std::string("expected 'a ID SIZE', 'r ID SIZE' or 'f ID'");
  }
  if (id > MallocTrace::kMaxId)
    return fmt::format("id {} is above the largest allowed, {}", id, MallocTrace::kMaxId);
  if (op.size > MallocTrace::kMaxSize) {
    return fmt::format("size {} is above the largest allowed, 2^40 bytes", op.size);
  }
  op.id = uint32_t(id);
  return std::nullopt;
}

// Each id's state along the trace, to check the trace's C semantics up
// front, so a replay never misbehaves on them.
class IdTracker {
 public:
  // The op's effect on its id, or what is wrong with it.
  std::optional<std::string> apply(const MallocOp& op) {
    const uint32_t id = op.id;
    if (state_.size() <= id)
      state_.resize(id + 1, IdState::kNever), since_.resize(id + 1, 0), size_.resize(id + 1, 0);
    const IdState s = state_[id];
    if (op.kind == MallocOp::Kind::kAlloc && s == IdState::kLive) {
      return fmt::format("id {} is allocated again while it holds the block line {} gave it", id, since_[id]);
    }
    if (op.kind != MallocOp::Kind::kAlloc && s == IdState::kFreed) {
      return fmt::format("id {} is {} after line {} freed it (a double free)", id,
                         op.kind == MallocOp::Kind::kFree ? "freed again" : "reallocated", since_[id]);
    }
    if (op.kind == MallocOp::Kind::kFree && s == IdState::kNever) {
      return fmt::format("id {} is freed but was never allocated", id);
    }
    live_bytes_ -= size_[id];  // the id's block, if it holds one, is gone or replaced
    size_[id] = 0;
    if (op.kind == MallocOp::Kind::kFree) {
      state_[id] = s == IdState::kNull ? IdState::kNull : IdState::kFreed;  // free(NULL) changes nothing
    } else if (op.kind == MallocOp::Kind::kRealloc && op.size == 0 && s == IdState::kLive) {
      state_[id] = IdState::kNull;  // realloc(p, 0) frees p and returns NULL, as glibc does
    } else {
      state_[id] = IdState::kLive;  // malloc, realloc, or realloc(NULL, n) = malloc(n)
      size_[id] = op.size;
      live_bytes_ += op.size;
      peak_live_bytes_ = std::max(peak_live_bytes_, live_bytes_);
    }
    since_[id] = op.line;
    return std::nullopt;
  }
  uint64_t size() const { return state_.size(); }
  uint64_t peak_live_bytes() const { return peak_live_bytes_; }

 private:
  std::vector<IdState> state_;
  std::vector<unsigned> since_;  // the line that put each id in its state
  std::vector<uint64_t> size_;   // the size of the block each id holds (0: none)
  uint64_t live_bytes_ = 0, peak_live_bytes_ = 0;
};

}  // namespace

std::optional<MallocTrace> parse_malloc_trace(std::istream& in, const std::string& name, std::string& error) {
  MallocTrace t;
  std::string line;
  bool in_header = true;
  unsigned header_fields = 0;
  bool any_free_null = false;
  IdTracker ids;
  for (unsigned n = 1;; ++n) {
    const LineStatus status = read_line(in, line);
    if (status == LineStatus::kEnd) break;
    if (status == LineStatus::kTooLong) {
      error = fmt::format("{}:{}: line longer than {} characters", name, n, kMaxTextLine);
      return std::nullopt;
    }
    if (status == LineStatus::kReadError) {
      error = fmt::format("{}: read error at line {}", name, n);
      return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream ss(line);
    std::vector<std::string> f;
    // At most four fields are kept: a fourth already makes the line wrong.
    for (std::string w; f.size() < 4 && ss >> w;) f.push_back(w);
    if (f.empty()) continue;
    auto fail = [&](const std::string& what) {
      error = fmt::format("{}:{}: {} (in '{}')", name, n, what, quote_cut(line, 80));
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
    bool free_null = false;
    if (auto bad = parse_op(f, op, free_null)) return fail(*bad);
    if (free_null) {  // free(NULL): an id of its own that never holds a block
      any_free_null = true;
      op.id = MallocTrace::kNullId;
      t.ops.push_back(op);
      continue;
    }
    if (auto bad = ids.apply(op)) return fail(*bad);
    t.ops.push_back(op);
  }
  t.ids = ids.size();
  t.peak_live_bytes = ids.peak_live_bytes();
  if (any_free_null) {  // the free(NULL) slot goes after every real id
    for (MallocOp& op : t.ops) {
      if (op.id == MallocTrace::kNullId) op.id = uint32_t(t.ids);
    }
    ++t.ids;
  }
  return t;
}

}  // namespace vmsim
