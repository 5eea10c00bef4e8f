#include "testbench/lackey_trace.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "testbench/text_image.h"

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

std::optional<LackeyTrace> parse_lackey(std::istream& in, const std::string& name,
                                        std::optional<TraceError>& err) {
  LackeyTrace t;
  std::string line;
  for (unsigned n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.rfind("==", 0) == 0 || line.find_first_not_of(" \t") == std::string::npos)
      continue;
    auto fail = [&](const std::string& what) {
      err = TraceError{fmt::format("{}:{}: {} (in '{}')", name, n, what, line)};
      return std::nullopt;
    };
    char op = 0;
    size_t pos = 0;
    if (line[0] == 'I') {
      op = 'I';
      pos = 1;
    } else if (line[0] == ' ' && line.size() > 2 && (line[1] == 'L' || line[1] == 'S' || line[1] == 'M')) {
      op = line[1];
      pos = 2;
    } else {
      return fail("expected 'I', ' L', ' S' or ' M' at the start of the line");
    }
    const size_t a0 = line.find_first_not_of(' ', pos);
    const size_t comma = line.find(',', pos);
    if (a0 == std::string::npos || comma == std::string::npos || comma <= a0)
      return fail("expected ADDRESS,SIZE");
    const auto addr = parse_hex(line.substr(a0, comma - a0));
    if (!addr) return fail("address is not a hex number of at most 64 bits");
    const std::string size_text = line.substr(comma + 1);
    uint64_t size = 0;
    bool digits = !size_text.empty() && size_text.size() <= 6;
    for (char c : size_text) {
      if (c < '0' || c > '9')
        digits = false;
      else
        size = size * 10 + uint64_t(c - '0');
    }
    if (!digits || size == 0) return fail("size is not a positive decimal number");
    if (*addr + size - 1 < *addr) return fail("access wraps around the address space");
    ++t.lines;
    // One reference per page touched, in address order.
    auto add = [&](Access a) {
      for (uint64_t p = *addr >> kPageShift; p <= (*addr + size - 1) >> kPageShift; ++p) {
        t.refs.push_back({std::max(*addr, p << kPageShift), a});
      }
    };
    switch (op) {
      case 'I':
        add(Access::kFetch);
        break;
      case 'L':
        add(Access::kLoad);
        break;
      case 'S':
        add(Access::kStore);
        break;
      default:  // modify
        add(Access::kLoad);
        add(Access::kStore);
        break;
    }
  }
  return t;
}

}  // namespace vmsim
