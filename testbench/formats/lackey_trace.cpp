#include "testbench/formats/lackey_trace.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "testbench/formats/block_input.h"
#include "testbench/formats/line_input.h"

namespace vmsim {

namespace {

// Longer lines are not lackey's: refused, so memory stays bounded.
constexpr size_t kMaxLine = 4096;

// One data line: "I  ADDR,SIZE", " L ADDR,SIZE", " S ..." or " M ...".
struct LackeyLine {
  char op = 0;
  uint64_t addr = 0, size = 0;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses [p, end): the line without its newline. nullptr, or what is wrong.
const char* parse_line(const char* p, const char* end, LackeyLine& l) {
  if (p < end && *p == 'I') {
    l.op = 'I';
    ++p;
  } else if (end - p > 2 && p[0] == ' ' && (p[1] == 'L' || p[1] == 'S' || p[1] == 'M')) {
    l.op = p[1];
    p += 2;
  } else {
    return "expected 'I', ' L', ' S' or ' M' at the start of the line";
  }
  while (p < end && *p == ' ') ++p;
  const char* comma = std::find(p, end, ',');
  if (p == end || comma == end || comma == p) return "expected ADDRESS,SIZE";
  if (comma - p > 16) return "address is not a hex number of at most 64 bits";
  for (; p < comma; ++p) {
    const int d = hex_digit(*p);
    if (d < 0) return "address is not a hex number of at most 64 bits";
    l.addr = (l.addr << 4) | uint64_t(d);
  }
  ++p;
  if (p == end || end - p > 6) return "size is not a positive decimal number";
  for (; p < end; ++p) {
    if (*p < '0' || *p > '9') return "size is not a positive decimal number";
    l.size = l.size * 10 + uint64_t(*p - '0');
  }
  if (l.size == 0) return "size is not a positive decimal number";
  if (l.addr + l.size - 1 < l.addr) return "access wraps around the address space";
  return nullptr;
}

// One reference per page the access touches, in address order; a modify is
// a load, then a store.
void expand(const LackeyLine& l, std::vector<TraceRef>& refs) {
  auto add = [&](Access a) {
    for (uint64_t p = l.addr >> kPageShift; p <= (l.addr + l.size - 1) >> kPageShift; ++p) {
      refs.push_back({std::max(l.addr, p << kPageShift), a});
    }
  };
  switch (l.op) {
    case 'I':
      return add(Access::kFetch);
    case 'L':
      return add(Access::kLoad);
    case 'S':
      return add(Access::kStore);
    default:
      add(Access::kLoad);
      return add(Access::kStore);
  }
}

bool blank_or_message(const char* p, const char* end) {
  if (end - p >= 2 && p[0] == '=' && p[1] == '=') return true;  // valgrind's own output
  return std::all_of(p, end, [](char c) { return c == ' ' || c == '\t'; });
}

class LackeyReader final : public UnitReader {
 public:
  explicit LackeyReader(BlockInput in) : in_(std::move(in)) {}
  TraceFormat format() const override { return TraceFormat::kLackey; }
  uint64_t lines() const override { return data_lines_; }
  std::string where() const override { return fmt::format("{}:{}", in_.source().name(), ref_line_); }

 private:
  // Parses the next data line into unit_; false at the end or an error.
  bool next_unit() override {
    while (error().empty()) {
      size_t avail = in_.want(1);
      if (avail == 0) {
        if (!in_.source().error().empty()) fail(in_.source().error());
        return false;
      }
      const char* nl = static_cast<const char*>(std::memchr(in_.data(), '\n', avail));
      while (!nl && avail <= kMaxLine) {  // the line goes on past the window
        const size_t more = in_.want(avail + 1);
        if (more == avail) break;  // the input ended
        avail = more;
        nl = static_cast<const char*>(std::memchr(in_.data(), '\n', avail));
      }
      ++line_no_;
      const char* p = in_.data();
      const size_t len = nl ? size_t(nl - p) : avail;
      if (len > kMaxLine) {
        fail(fmt::format("{}:{}: line longer than {} characters", in_.source().name(), line_no_, kMaxLine));
        return false;
      }
      if (!nl && !in_.source().error().empty()) {  // a partial last line before a read error
        fail(in_.source().error());
        return false;
      }
      const char* end = p + len;
      if (end > p && end[-1] == '\r') --end;
      if (!blank_or_message(p, end)) {
        LackeyLine l;
        if (const char* what = parse_line(p, end, l)) {
          fail(fmt::format("{}:{}: {} (in '{}')", in_.source().name(), line_no_, what,
                           quote_cut(std::string(p, end), 80)));
          return false;
        }
        ++data_lines_;
        ref_line_ = line_no_;
        expand(l, unit_);
        in_.consume(nl ? len + 1 : len);
        return true;
      }
      in_.consume(nl ? len + 1 : len);
    }
    return false;
  }

  BlockInput in_;
  uint64_t line_no_ = 0, data_lines_ = 0;
  uint64_t ref_line_ = 0;  // the line unit_ comes from
};

// A LackeyTrace in memory, read as a stream.
class MemoryReader final : public TraceReader {
 public:
  explicit MemoryReader(std::shared_ptr<const LackeyTrace> t) : t_(std::move(t)) {}
  TraceFormat format() const override { return TraceFormat::kLackey; }
  uint64_t lines() const override { return t_->lines; }
  std::string where() const override { return fmt::format("trace: reference {}", pos_); }
  size_t read(TraceRef* out, size_t n) override {
    const size_t k = std::min(n, t_->refs.size() - pos_);
    std::copy_n(t_->refs.begin() + ptrdiff_t(pos_), k, out);
    pos_ += k;
    return k;
  }

 private:
  std::shared_ptr<const LackeyTrace> t_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> lackey_reader(BlockInput in) {
  return std::make_unique<LackeyReader>(std::move(in));
}

std::unique_ptr<TraceReader> memory_reader(std::shared_ptr<const LackeyTrace> trace) {
  return std::make_unique<MemoryReader>(std::move(trace));
}

std::optional<LackeyTrace> parse_lackey(std::istream& in, const std::string& name,
                                        std::optional<TraceError>& err) {
  LackeyReader r(BlockInput(stream_bytes(in, name)));
  LackeyTrace t;
  TraceRef block[4096];
  while (const size_t k = r.read(block, std::size(block))) t.refs.insert(t.refs.end(), block, block + k);
  if (!r.error().empty()) {
    err = TraceError{r.error()};
    return std::nullopt;
  }
  t.lines = r.lines();
  return t;
}

std::shared_ptr<std::vector<uint64_t>> next_use_of(TraceReader& r) {
  std::vector<uint64_t> pages;
  TraceRef block[4096];
  while (const size_t k = r.read(block, std::size(block)))
    for (size_t i = 0; i < k; ++i) pages.push_back(block[i].addr >> kPageShift);
  auto next = std::make_shared<std::vector<uint64_t>>(pages.size(), UINT64_MAX);
  std::unordered_map<uint64_t, uint64_t> seen;  // page -> the later position
  for (uint64_t i = pages.size(); i-- > 0;) {
    auto it = seen.find(pages[i]);
    if (it != seen.end()) (*next)[i] = it->second;
    seen[pages[i]] = i;
  }
  return next;
}

}  // namespace vmsim
