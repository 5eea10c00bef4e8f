#include "testbench/analysis/tlb_curve.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <set>
#include <unordered_map>
#include <utility>

namespace vmsim {

namespace {

constexpr uint64_t kFree = std::numeric_limits<uint64_t>::max();

void fenwick_add(std::vector<int64_t>& t, size_t i, int64_t d) {
  for (++i; i < t.size(); i += i & (~i + 1)) t[i] += d;
}
int64_t fenwick_prefix(const std::vector<int64_t>& t, size_t i) {  // sum of slots [0, i)
  int64_t s = 0;
  for (; i > 0; i -= i & (~i + 1)) s += t[i];
  return s;
}

}  // namespace

// The stack distance of a reference is 1 + the distinct pages referenced
// since the same page's last reference: it hits in every LRU TLB at least
// that large. Each page marks the time slot of its latest reference, so the
// distinct pages in between are the marks between the two slots. When the
// slots run out, the live marks (one per distinct page) are renumbered in
// order into a tree twice their number: memory stays linear in the distinct
// pages however long the trace.
void LruStackDistances::access(uint64_t page) {
  if (owner_.size() + 1 >= marks_.size()) compact();
  const size_t t = owner_.size();
  auto [it, first] = last_.try_emplace(page, t);
  if (first) {
    ++cold_;
  } else {
    const size_t d = size_t(fenwick_prefix(marks_, t) - fenwick_prefix(marks_, it->second + 1)) + 1;
    if (by_distance_.size() <= d) by_distance_.resize(d + 1, 0);
    ++by_distance_[d];
    fenwick_add(marks_, it->second, -1);
    owner_[it->second] = kFree;
    it->second = t;
  }
  owner_.push_back(page);
  fenwick_add(marks_, t, +1);
  ++references_;
}

void LruStackDistances::compact() {
  std::vector<uint64_t> live;
  live.reserve(last_.size());
  for (uint64_t p : owner_)
    if (p != kFree) live.push_back(p);
  const size_t slots = std::max<size_t>(2 * live.size(), size_t{1} << 12);
  marks_.assign(slots + 1, 0);
  for (size_t i = 0; i < live.size(); ++i) {
    last_[live[i]] = i;
    fenwick_add(marks_, i, +1);
  }
  owner_ = std::move(live);
}

std::vector<uint64_t> LruStackDistances::misses(const std::vector<unsigned>& entries) const {
  std::vector<uint64_t> out;
  for (unsigned n : entries) {
    uint64_t m = cold_;
    for (size_t d = size_t(n) + 1; d < by_distance_.size(); ++d) m += by_distance_[d];
    out.push_back(m);
  }
  return out;
}

std::vector<uint64_t> lru_misses(const std::vector<uint64_t>& pages, const std::vector<unsigned>& entries) {
  LruStackDistances s;
  for (uint64_t p : pages) s.access(p);
  return s.misses(entries);
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
