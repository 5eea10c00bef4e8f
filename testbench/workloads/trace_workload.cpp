#include "testbench/workloads/trace_workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace vmsim {

namespace {

struct Counts {
  uint64_t references = 0, loads = 0, stores = 0, fetches = 0;
};

// The address a reference is made at: a fetch reads its 4-byte instruction.
VirtAddr access_va(const TraceRef& r) {
  return VirtAddr{r.access == Access::kFetch ? r.addr & ~uint64_t{3} : r.addr};
}

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
      a = rt.fetch(access_va(r), Priv::kUser);
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

std::optional<std::vector<uint64_t>> pages_touched(TraceReader& r, uint64_t page_bytes, std::string& err) {
  std::unordered_set<uint64_t> pages;
  std::vector<TraceRef> block(1 << 14);
  while (const size_t k = r.read(block.data(), block.size())) {
    for (size_t i = 0; i < k; ++i) pages.insert(block[i].addr & ~(page_bytes - 1));
  }
  if (!r.error().empty()) {
    err = r.error();
    return std::nullopt;
  }
  std::vector<uint64_t> sorted(pages.begin(), pages.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

namespace {
// The address space the trace runs in: the user half, lazily, or the
// pages it touches, each mapped whole. Empty, or what failed.
std::string map_trace_space(GuestRuntime& rt, const TraceInput& in, uint64_t top) {
  const Perms all{true, true, true, true};
  if (!in.premapped) {
    return rt.add_lazy_region({"traced", VirtAddr{0}, top, all}) ? ""
                                                                 : "cannot map the user half for the trace";
  }
  const uint64_t size = page_size(rt.space().table().mode(), in.page_level);
  for (uint64_t base : in.pages) {
    if (!rt.add_eager_region({"traced-page", VirtAddr{base}, size, all}, in.page_level)) {
      return fmt::format("cannot map the {} KiB page at 0x{:x} (one of {}): not enough contiguous memory",
                         size >> 10, base, in.pages.size());
    }
  }
  return "";
}
// The trace's own figures and report lines.
void report_figures(const TraceInput& in, const Counts& n, const RuntimeStats& st, WorkloadResult& res) {
  const TraceSummary& sum = in.summary;
  res.figures = {{"trace.page_level", in.page_level},
                 {"trace.premapped_pages", in.pages.size()},
                 {"trace.lines", sum.lines},
                 {"trace.references", n.references},
                 {"trace.distinct_pages", sum.distinct_pages},
                 {"accesses.loads", n.loads},
                 {"accesses.stores", n.stores},
                 {"accesses.fetches", n.fetches}};
  res.lines.push_back(
      fmt::format("  trace              {} lines, {} page references ({} loads, {} stores, {} fetches), {} "
                  "distinct pages{}",
                  sum.lines, n.references, n.loads, n.stores, n.fetches, sum.distinct_pages,
                  in.premapped ? fmt::format(" (4 KiB), premapped as {} {}", in.pages.size(),
                                             in.page_level ? "superpages" : "4 KiB pages")
                               : ""));
  res.lines.push_back(fmt::format("  page-ins           {}  (minor + major); dirty write-backs {}",
                                  st.faults.minor + st.faults.major, st.swap_outs));
}

// The next `window` references (those in the user half) translated together.
// `reqs` is the caller's buffer, reused from one window to the next.
void prefetch_window(GuestRuntime& rt, const TraceRef* refs, size_t left, uint64_t top, unsigned window,
                     std::vector<TranslationRequest>& reqs) {
  reqs.clear();
  for (size_t j = 0; j < std::min<size_t>(left, window) && refs[j].addr < top; ++j) {
    reqs.push_back({access_va(refs[j]), refs[j].access, Priv::kUser});
  }
  rt.prefetch(reqs.data(), reqs.size());
}

}  // namespace

WorkloadResult TraceWorkload::run(GuestRuntime& rt) {
  WorkloadResult res;
  res.always_show_swap = true;
  const PagingMode mode = rt.space().table().mode();
  const uint64_t top = trace_user_top(mode);
  if (std::string e = map_trace_space(rt, input_, top); !e.empty()) {
    res.setup_error = std::move(e);
    return res;
  }
  std::unordered_map<uint64_t, uint8_t> shadow;  // bytes stored so far
  uint8_t counter = 0;
  Counts n;
  std::unique_ptr<TraceReader> reader = input_.open();
  std::vector<TraceRef> block(1 << 14);
  std::vector<TranslationRequest> window_reqs;
  uint64_t i = 0;
  bool alive = true;
  Phases phases(input_.phases, probe_, [&rt] {
    const FaultCounts& f = rt.stats().faults;
    return f.minor + f.major + f.invalid;
  });
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
      if (input_.window > 1 && j % input_.window == 0)
        prefetch_window(rt, block.data() + j, k - j, top, input_.window, window_reqs);
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
  report_figures(input_, n, rt.stats(), res);
  phases.report(res);
  return res;
}

}  // namespace vmsim
