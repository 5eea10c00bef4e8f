#include "testbench/workloads/trace_workload.h"

#include <fmt/format.h>

#include <unordered_map>

namespace vmsim {

namespace {

struct Counts {
  uint64_t references = 0, loads = 0, stores = 0, fetches = 0;
};

// One reference: the access, checked against the shadow of what was stored.
AccessResult replay_one(GuestRuntime& rt, const TraceRef& r, uint64_t i,
                        std::unordered_map<uint64_t, uint8_t>& shadow, uint8_t& counter, Counts& n,
                        WorkloadResult& res) {
  AccessResult a;
  switch (r.access) {
    case Access::kStore: {
      const uint8_t v = ++counter;
      a = rt.store(VirtAddr{r.addr}, v, 1, Priv::kUser);
      if (a.ok) shadow[r.addr] = v;
      ++n.stores;
      break;
    }
    case Access::kLoad: {
      a = rt.load(VirtAddr{r.addr}, 1, Priv::kUser);
      auto it = shadow.find(r.addr);
      const uint8_t want = it == shadow.end() ? 0 : it->second;
      if (a.ok && uint8_t(a.value) != want) {
        ++res.data_mismatches;
        res.error(
            fmt::format("data mismatch at reference {}: 0x{:x} read {}, wrote {}", i, r.addr, a.value, want));
      }
      ++n.loads;
      break;
    }
    case Access::kFetch:
      a = rt.fetch(VirtAddr{r.addr & ~uint64_t{3}}, Priv::kUser);
      ++n.fetches;
      break;
  }
  ++n.references;
  return a;
}

}  // namespace

uint64_t trace_user_top(PagingMode mode) {
  return is_sv32(mode) ? uint64_t{0xC000'0000} : uint64_t{1} << (va_bits_of(mode) - 1);
}

TraceInput trace_input(std::shared_ptr<const LackeyTrace> trace) {
  std::string err;  // a trace in memory reads without errors
  auto reader = memory_reader(trace);
  return {[trace] { return memory_reader(trace); }, summarize(*reader, err).value_or(TraceSummary{})};
}

std::shared_ptr<const std::vector<uint64_t>> TraceWorkload::next_use() const {
  if (!next_use_) {
    auto r = input_.open();
    next_use_ = next_use_of(*r);
  }
  return next_use_;
}

WorkloadResult TraceWorkload::run(GuestRuntime& rt) {
  WorkloadResult res;
  res.always_show_swap = true;
  const PagingMode mode = rt.space().table().mode();
  const uint64_t top = trace_user_top(mode);
  if (!rt.add_lazy_region({"traced", VirtAddr{0}, top, Perms{true, true, true, true}})) {
    res.setup_error = "cannot map the user half for the trace";
    return res;
  }
  std::unordered_map<uint64_t, uint8_t> shadow;  // bytes stored so far
  uint8_t counter = 0;
  Counts n;
  std::unique_ptr<TraceReader> reader = input_.open();
  std::vector<TraceRef> block(1 << 14);
  uint64_t i = 0;
  bool alive = true;
  Phases phases(input_.phases, probe_, rt);
  while (alive) {
    const size_t k = reader->read(block.data(), block.size());
    if (k == 0) break;
    if (input_.progress) input_.progress(i);
    for (size_t j = 0; j < k && alive; ++j, ++i) {
      const TraceRef& r = block[j];
      if (r.addr >= top) {  // found here only in a binary trace: the others were checked whole
        res.input_error = fmt::format("{}: address 0x{:x} is outside the user half of {} (below 0x{:x})",
                                      reader->where(), r.addr, to_string(mode), top);
        alive = false;
        break;
      }
      rt.set_reference_position(i);
      phases.before(i);
      const AccessResult a = replay_one(rt, r, i, shadow, counter, n, res);
      if (!a.ok) {
        ++res.unexpected_faults;
        res.error(fmt::format("reference {} ({} 0x{:x}) failed: {}", i, to_string(r.access), r.addr,
                              a.fault ? a.fault->reason : std::string("?")));
        alive = rt.current().alive;
      }
    }
  }
  if (input_.progress) input_.progress(input_.summary.references);  // the end
  phases.finish(i);
  if (!reader->error().empty() && res.input_error.empty()) res.input_error = reader->error();
  const TraceSummary& sum = input_.summary;
  const RuntimeStats& st = rt.stats();
  res.figures = {{"trace.lines", sum.lines},
                 {"trace.references", n.references},
                 {"trace.distinct_pages", sum.distinct_pages},
                 {"accesses.loads", n.loads},
                 {"accesses.stores", n.stores},
                 {"accesses.fetches", n.fetches}};
  res.lines.push_back(
      fmt::format("  trace              {} lines, {} page references ({} loads, {} stores, {} fetches), {} "
                  "distinct pages",
                  sum.lines, n.references, n.loads, n.stores, n.fetches, sum.distinct_pages));
  res.lines.push_back(fmt::format("  page-ins           {}  (minor + major); dirty write-backs {}",
                                  st.faults.minor + st.faults.major, st.swap_outs));
  phases.report(res);
  return res;
}

}  // namespace vmsim
