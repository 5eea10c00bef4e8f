#include "sw/kernel/oom_killer.h"

#include <algorithm>

namespace vmsim {

OomKill OomKiller::weigh(const Process& p) const {
  OomKill k{p.pid, p.name, 0, 0, 0, 0, p.oom_score_adj};
  for (const auto& [start, r] : p.as->regions()) {
    if (!r.obj) continue;
    for (const auto& [index, page] : r.obj->pages) {
      if (index < r.obj_offset || index >= r.obj_offset + r.length / kPageSize) continue;
      if (page.state == PageState::kResident) {
        k.rss += std::count_if(page.maps.begin(), page.maps.end(),
                               [&](const PageMapping& m) { return m.proc == &p; });
      } else if (page.state == PageState::kSwapped) {
        ++k.swap_entries;
      }
    }
  }
  k.table_pages = p.as->table().table_frames().size();
  const int64_t total = int64_t(frames_.total() + swap_.total());
  const int64_t points =
      int64_t(k.rss + k.swap_entries + k.table_pages) + int64_t(p.oom_score_adj) * total / 1000;
  k.badness = uint64_t(std::max<int64_t>(points, 1));
  return k;
}

bool OomKiller::kill(Process& requester) {
  Process* victim = nullptr;
  uint64_t worst = 0;
  for (auto& p : procs_.all()) {
    if (!p->alive || p->oom_score_adj == -1000) continue;
    const uint64_t b = weigh(*p).badness;
    if (b > worst) worst = b, victim = p.get();
  }
  if (!victim) return false;
  const OomKill k = weigh(*victim);
  log_.push_back(k);
  ++stats_.oom_kills;
  const bool self = victim == &requester;
  procs_.exit(*victim, "killed by the OOM killer (badness " + std::to_string(k.badness) + ")");
  if (!self && &procs_.current() != &requester) procs_.switch_to(requester);
  return true;
}

}  // namespace vmsim
