#include "testbench/harness/walk_caches.h"

#include <fmt/format.h>

#include <string>

namespace vmsim {

namespace {
double ratio(uint64_t a, uint64_t b) {
  return b ? double(a) / double(b) : 0.0;
}
std::string geometry(const PwcGeometry& g) {
  return fmt::format("{} {}", g.entries, to_string(g.policy));
}
}  // namespace

void json_walk_depths(nlohmann::json& j, const RtlMmuStats& s) {
  for (size_t n = 0; n < s.walks_by_depth.size(); ++n)
    j[fmt::format("walks.depth{}", n)] = s.walks_by_depth[n];
}

void json_walk_caches(nlohmann::json& j, const TlbCounts* counts, const TlbHierarchy* h) {
  if (!counts || !h) return;
  for (unsigned l = 1; l <= kPwcLevels; ++l) {
    const TlbCounts::Level& p = counts->pwc[l - 1];
    if (!p.present) continue;
    const std::string k = fmt::format("pwc.l{}.", l);
    j[k + "geometry"] = geometry(h->pwc[l - 1]);
    j[k + "accesses"] = p.c.accesses;
    j[k + "hits"] = p.c.hits;
    j[k + "misses"] = p.c.misses();
    j[k + "evictions"] = p.c.evictions;
    j[k + "hit_rate"] = ratio(p.c.hits, p.c.accesses);
  }
}

void text_walk_depths(std::ostream& os, const RtlMmuStats& s) {
  std::string by;
  for (size_t n = 0; n < s.walks_by_depth.size(); ++n) {
    if (!s.walks_by_depth[n]) continue;
    by += fmt::format("{}{} PTE{} {}", by.empty() ? "" : ", ", n, n == 1 ? "" : "s", s.walks_by_depth[n]);
  }
  if (!by.empty()) os << "    by depth       " << by << "\n";
}

void text_walk_caches(std::ostream& os, const TlbCounts* counts, const TlbHierarchy* h) {
  if (!counts || !h) return;
  for (unsigned l = 1; l <= kPwcLevels; ++l) {
    const TlbCounts::Level& p = counts->pwc[l - 1];
    if (!p.present) continue;
    os << fmt::format("    PWC L{} {:<12} {} lookups, {} hits ({:.2f}%), {} evictions\n", l,
                      fmt::format("({})", geometry(h->pwc[l - 1])), p.c.accesses, p.c.hits,
                      100.0 * ratio(p.c.hits, p.c.accesses), p.c.evictions);
  }
}

}  // namespace vmsim
