#include "testbench/harness/walker_occupancy.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace vmsim {

void json_walkers(nlohmann::json& j, const RtlMmuStats& s, unsigned walkers, uint64_t cycles) {
  const size_t shown = std::min<size_t>(walkers, RtlMmuStats::kMaxWalkers) + 1;
  j["walks.merged_misses"] = s.merged_misses;
  j["walks.walker_busy_cycles"] = s.busy_walker_cycles;
  j["walks.walker_occupancy"] = cycles ? double(s.busy_walker_cycles) / double(cycles) : 0.0;
  j["walks.cycles_by_walkers_busy"] =
      std::vector<uint64_t>(s.cycles_by_walkers_busy.begin() + 1, s.cycles_by_walkers_busy.begin() + shown);
}

void text_walkers(std::ostream& os, const RtlMmuStats& s, unsigned walkers, uint64_t cycles) {
  if (walkers <= 1 && !s.merged_misses) return;
  std::string by;
  for (size_t n = 1; n <= std::min<size_t>(walkers, RtlMmuStats::kMaxWalkers); ++n) {
    by += fmt::format("{}{} busy {:.1f}%", n == 1 ? "" : ", ", n,
                      cycles ? 100.0 * double(s.cycles_by_walkers_busy[n]) / double(cycles) : 0.0);
  }
  os << fmt::format("    walkers        {}: {:.2f} busy on average; {} of cycles; {} merged misses\n",
                    walkers, cycles ? double(s.busy_walker_cycles) / double(cycles) : 0.0, by,
                    s.merged_misses);
}

}  // namespace vmsim
