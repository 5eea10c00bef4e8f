// scenario_support.h: what the built-in scenarios (scenario_*.cpp) share: a
// process's virtual and resident size, as ps shows VSZ and RSS, and the
// layout of a scenario's report (figures under "scenario.", and the lesson).
#pragma once

#include <fmt/format.h>

#include <string>

#include "sw/kernel/guest_runtime.h"
#include "testbench/workloads/workload.h"

namespace vmsim {

struct ProcessSize {
  uint64_t virtual_bytes = 0;   // every user region's length (VSZ)
  uint64_t resident_bytes = 0;  // pages in frames now (RSS): faulted in, not swapped out
};

inline ProcessSize process_size(const Process& p) {
  ProcessSize s;
  for (const auto& [start, r] : p.as->regions()) {
    if (r.global) continue;  // the kernel's mappings are in every process
    s.virtual_bytes += r.length;
    if (!r.obj) {  // fixed frames, mapped when the region was made
      s.resident_bytes += r.length;
      continue;
    }
    const uint64_t first = r.obj_offset, last = r.obj_offset + r.length / kPageSize;
    for (const auto& [index, page] : r.obj->pages) {  // the pages ever touched, not the whole range
      if (index >= first && index < last && page.state == PageState::kResident) s.resident_bytes += kPageSize;
    }
  }
  return s;
}

inline std::string kib(uint64_t bytes) {
  return fmt::format("{} KiB", bytes >> 10);
}

// A scenario's lesson: printed after its figures, one line each.
inline void explain(WorkloadResult& r, std::initializer_list<const char*> lines) {
  r.lines.push_back("  what this shows");
  for (const char* l : lines) r.lines.push_back(std::string("    ") + l);
}

}  // namespace vmsim
