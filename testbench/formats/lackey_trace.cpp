#include "testbench/formats/lackey_trace.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "testbench/formats/text_image.h"

namespace vmsim {

std::shared_ptr<std::vector<uint64_t>> LackeyTrace::next_use() const {
  auto next = std::make_shared<std::vector<uint64_t>>(refs.size(), UINT64_MAX);
  std::unordered_map<uint64_t, uint64_t> seen;  // page -> the later position
  for (uint64_t i = refs.size(); i-- > 0;) {
    const uint64_t page = refs[i].addr >> kPageShift;
    auto it = seen.find(page);
    if (it != seen.end()) (*next)[i] = it->second;
    seen[page] = i;
  }
  return next;
}

uint64_t LackeyTrace::distinct_pages() const {
  std::unordered_set<uint64_t> pages;
  for (const TraceRef& r : refs) pages.insert(r.addr >> kPageShift);
  return pages.size();
}

namespace {

// One data line: "I  ADDR,SIZE", " L ADDR,SIZE", " S ..." or " M ...".
struct LackeyLine {
  char op;
  uint64_t addr, size;
};

// The line, or what is wrong with it.
std::variant<LackeyLine, std::string> parse_line(const std::string& line) {
  LackeyLine l{};
  size_t pos = 0;
  if (line[0] == 'I') {
    l.op = 'I';
    pos = 1;
  } else if (line[0] == ' ' && line.size() > 2 && (line[1] == 'L' || line[1] == 'S' || line[1] == 'M')) {
    l.op = line[1];
    pos = 2;
  } else {
    return std::string("expected 'I', ' L', ' S' or ' M' at the start of the line");
  }
  const size_t a0 = line.find_first_not_of(' ', pos);
  const size_t comma = line.find(',', pos);
  if (a0 == std::string::npos || comma == std::string::npos || comma <= a0)
    return std::string("expected ADDRESS,SIZE");
  const auto addr = parse_hex(line.substr(a0, comma - a0));
  if (!addr) return std::string("address is not a hex number of at most 64 bits");
  const std::string size_text = line.substr(comma + 1);
  bool digits = !size_text.empty() && size_text.size() <= 6;
  for (char c : size_text) {
    if (c < '0' || c > '9') {
      digits = false;
    } else {
      l.size = l.size * 10 + uint64_t(c - '0');
    }
  }
  if (!digits || l.size == 0) return std::string("size is not a positive decimal number");
  l.addr = *addr;
  if (l.addr + l.size - 1 < l.addr) return std::string("access wraps around the address space");
  return l;
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

}  // namespace

std::optional<LackeyTrace> parse_lackey(std::istream& in, const std::string& name,
                                        std::optional<TraceError>& err) {
  LackeyTrace t;
  std::string line;
  for (unsigned n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.rfind("==", 0) == 0 || line.find_first_not_of(" \t") == std::string::npos)
      continue;
    auto parsed = parse_line(line);
    if (auto* what = std::get_if<std::string>(&parsed)) {
      err = TraceError{fmt::format("{}:{}: {} (in '{}')", name, n, *what, line)};
      return std::nullopt;
    }
    ++t.lines;
    expand(std::get<LackeyLine>(parsed), t.refs);
  }
  return t;
}

}  // namespace vmsim
