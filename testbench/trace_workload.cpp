#include "testbench/trace_workload.h"

#include <fmt/format.h>

#include <unordered_map>

namespace vmsim {

TraceResult run_trace_workload(GuestRuntime& rt, const LackeyTrace& trace) {
  TraceResult res;
  res.distinct_pages = trace.distinct_pages();
  const PagingMode mode = rt.space().table().mode();
  const uint64_t top = is_sv32(mode) ? uint64_t{0xC000'0000} : uint64_t{1} << (va_bits_of(mode) - 1);
  if (!rt.add_lazy_region({"traced", VirtAddr{kPageSize}, top - kPageSize, Perms{true, true, true, true}})) {
    res.setup_error = "cannot map the user half for the trace";
    return res;
  }
  std::unordered_map<uint64_t, uint8_t> shadow;  // bytes stored so far
  uint8_t counter = 0;
  auto error = [&](std::string s) {
    if (res.first_error.empty()) res.first_error = std::move(s);
  };
  for (uint64_t i = 0; i < trace.refs.size(); ++i) {
    const TraceRef& r = trace.refs[i];
    if (r.addr < kPageSize || r.addr >= top) {
      ++res.unexpected_faults;
      error(fmt::format("reference {} at 0x{:x} is outside the user half of {}", i, r.addr, to_string(mode)));
      continue;
    }
    rt.set_reference_position(i);
    AccessResult a;
    switch (r.access) {
      case Access::kStore: {
        const uint8_t v = ++counter;
        a = rt.store(VirtAddr{r.addr}, v, 1, Priv::kUser);
        if (a.ok) shadow[r.addr] = v;
        ++res.stores;
        break;
      }
      case Access::kLoad: {
        a = rt.load(VirtAddr{r.addr}, 1, Priv::kUser);
        auto it = shadow.find(r.addr);
        const uint8_t want = it == shadow.end() ? 0 : it->second;
        if (a.ok && uint8_t(a.value) != want) {
          ++res.data_mismatches;
          error(fmt::format("data mismatch at reference {}: 0x{:x} read {}, wrote {}", i, r.addr, a.value,
                            want));
        }
        ++res.loads;
        break;
      }
      case Access::kFetch:
        a = rt.fetch(VirtAddr{r.addr & ~uint64_t{3}}, Priv::kUser);
        ++res.fetches;
        break;
    }
    ++res.references;
    if (!a.ok) {
      ++res.unexpected_faults;
      error(fmt::format("reference {} ({} 0x{:x}) failed: {}", i, to_string(r.access), r.addr,
                        a.fault ? a.fault->reason : std::string("?")));
      if (!rt.current().alive) break;
    }
  }
  return res;
}

}  // namespace vmsim
