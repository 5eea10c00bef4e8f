// walker_occupancy.h: how busy a device's page-table walkers were, and the
// misses it merged (RtlMmuStats::cycles_by_walkers_busy, merged_misses), as
// the report shows them.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "model/device.h"

namespace vmsim {

// walks.merged_misses, walks.walker_busy_cycles, walks.walker_occupancy (the
// mean number of walkers busy per cycle of the run's `cycles`) and
// walks.cycles_by_walkers_busy ([n - 1]: cycles with n busy, n = 1..walkers).
void json_walkers(nlohmann::json& j, const RtlMmuStats& s, unsigned walkers, uint64_t cycles);
// "    walkers        2: 0.41 busy on average; 1 busy 30.1% of cycles, 2 busy 5.2%; 1,234 merged misses",
// shown for a device with more than one walker or with merged misses.
void text_walkers(std::ostream& os, const RtlMmuStats& s, unsigned walkers, uint64_t cycles);

}  // namespace vmsim
