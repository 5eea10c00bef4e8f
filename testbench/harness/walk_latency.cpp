#include "testbench/harness/walk_latency.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace vmsim {

uint64_t walk_latency_percentile(const RtlMmuStats& s, double p) {
  uint64_t total = 0;
  for (uint64_t n : s.walk_latency) total += n;
  if (total == 0) return 0;
  // The nearest rank: the ceil(p * N)-th smallest walk.
  const auto want = std::max<uint64_t>(1, uint64_t(std::ceil(p * double(total) - 1e-9)));
  uint64_t seen = 0;
  for (size_t c = 0; c < s.walk_latency.size(); ++c) {
    seen += s.walk_latency[c];
    if (seen >= want) return c;
  }
  return s.walk_latency.size() - 1;
}

uint64_t walk_latency_max(const RtlMmuStats& s) {
  for (size_t c = s.walk_latency.size(); c-- > 0;)
    if (s.walk_latency[c]) return c;
  return 0;
}

nlohmann::json walk_latency_histogram(const RtlMmuStats& s) {
  nlohmann::json h = nlohmann::json::object();
  for (size_t c = 0; c < s.walk_latency.size(); ++c)
    if (s.walk_latency[c]) h[std::to_string(c)] = s.walk_latency[c];
  return h;
}

std::string walk_latency_summary(const RtlMmuStats& s) {
  if (s.walks == 0) return "no walks";
  std::vector<std::pair<uint64_t, size_t>> seen;  // (count, latency)
  for (size_t c = 0; c < s.walk_latency.size(); ++c)
    if (s.walk_latency[c]) seen.emplace_back(s.walk_latency[c], c);
  std::sort(seen.begin(), seen.end(),
            [](auto a, auto b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  std::string common;
  for (size_t i = 0; i < std::min<size_t>(3, seen.size()); ++i)
    common += fmt::format("{}{} ({})", i ? ", " : "", seen[i].second, seen[i].first);
  const bool capped = s.walk_latency.back() != 0;
  return fmt::format("p50 {}, p90 {}, p99 {}, max {}{} cycles; most often {}",
                     walk_latency_percentile(s, 0.5), walk_latency_percentile(s, 0.9),
                     walk_latency_percentile(s, 0.99), walk_latency_max(s), capped ? "+" : "", common);
}

}  // namespace vmsim
