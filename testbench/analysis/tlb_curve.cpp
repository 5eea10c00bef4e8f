#include "testbench/analysis/tlb_curve.h"

#include <iterator>
#include <limits>
#include <set>
#include <unordered_map>
#include <utility>

namespace vmsim {

namespace {

// A Fenwick tree of counts over positions 0..n-1.
class Fenwick {
 public:
  explicit Fenwick(size_t n) : t_(n + 1, 0) {}
  void add(size_t i, int64_t d) {
    for (++i; i < t_.size(); i += i & (~i + 1)) t_[i] += d;
  }
  int64_t prefix(size_t i) const {  // sum of positions [0, i)
    int64_t s = 0;
    for (; i > 0; i -= i & (~i + 1)) s += t_[i];
    return s;
  }

 private:
  std::vector<int64_t> t_;
};

}  // namespace

std::vector<uint64_t> lru_misses(const std::vector<uint64_t>& pages, const std::vector<unsigned>& entries) {
  // The stack distance of a reference is 1 + the distinct pages referenced
  // since the same page's last reference: it hits in every LRU TLB at least
  // that large. Each page marks its latest position in the tree, so the
  // distinct pages in between are the marks between the two positions.
  Fenwick marks(pages.size());
  std::unordered_map<uint64_t, size_t> last;
  std::vector<uint64_t> by_distance;  // references with each stack distance
  uint64_t cold = 0;
  for (size_t t = 0; t < pages.size(); ++t) {
    auto it = last.find(pages[t]);
    if (it == last.end()) {
      ++cold;
      last.emplace(pages[t], t);
    } else {
      const size_t d = size_t(marks.prefix(t) - marks.prefix(it->second + 1)) + 1;
      if (by_distance.size() <= d) by_distance.resize(d + 1, 0);
      ++by_distance[d];
      marks.add(it->second, -1);
      it->second = t;
    }
    marks.add(t, +1);
  }
  std::vector<uint64_t> out;
  for (unsigned n : entries) {
    uint64_t misses = cold;
    for (size_t d = size_t(n) + 1; d < by_distance.size(); ++d) misses += by_distance[d];
    out.push_back(misses);
  }
  return out;
}

uint64_t opt_misses(const std::vector<uint64_t>& pages, unsigned entries) {
  if (entries == 0) return pages.size();
  constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
  std::vector<uint64_t> next(pages.size(), kNever);  // the next reference to the same page
  std::unordered_map<uint64_t, size_t> seen;
  for (size_t t = pages.size(); t-- > 0;) {
    auto it = seen.find(pages[t]);
    if (it != seen.end()) next[t] = it->second;
    seen[pages[t]] = t;
  }
  std::set<std::pair<uint64_t, uint64_t>> by_next;  // (next use, page) of resident pages
  std::unordered_map<uint64_t, uint64_t> resident;  // page -> its key's next use
  uint64_t misses = 0;
  for (size_t t = 0; t < pages.size(); ++t) {
    auto it = resident.find(pages[t]);
    if (it != resident.end()) {
      by_next.erase({it->second, pages[t]});
    } else {
      ++misses;
      if (resident.size() == entries) {  // evict the page used furthest ahead
        auto victim = std::prev(by_next.end());
        resident.erase(victim->second);
        by_next.erase(victim);
      }
    }
    resident[pages[t]] = next[t];
    by_next.insert({next[t], pages[t]});
  }
  return misses;
}

}  // namespace vmsim
