#include "testbench/workloads/malloc_workload.h"

#include <fmt/format.h>

#include <chrono>
#include <random>

#include "sw/malloc/ptmalloc.h"
#include "testbench/workloads/malloc_replay.h"

namespace vmsim {

template <typename Alloc>
nlohmann::json allocator_figures(Alloc& a) {
  const auto& c = a.counters();
  const MallInfo2 mi = a.mallinfo2();
  return {{"malloc.tcache_hits", c.tcache_hits},
          {"malloc.fastbin_hits", c.fastbin_hits},
          {"malloc.smallbin_hits", c.smallbin_hits},
          {"malloc.unsorted_exact", c.unsorted_exact},
          {"malloc.largebin_hits", c.largebin_hits},
          {"malloc.binmap_hits", c.binmap_hits},
          {"malloc.last_remainder_splits", c.last_remainder_splits},
          {"malloc.top_splits", c.top_splits},
          {"malloc.top_batches", c.top_batches},
          {"malloc.split_stashed", c.split_stashed},
          {"malloc.mmaps", c.mmaps},
          {"malloc.munmaps", c.munmaps},
          {"malloc.mremaps", c.mremaps},
          {"malloc.brk_grows", c.brk_grows},
          {"malloc.trims", c.trims},
          {"malloc.consolidations", c.consolidations},
          {"malloc.calloc_skipped_zeroing", c.calloc_skipped_zeroing},
          {"malloc.realloc_in_place", c.realloc_in_place},
          {"malloc.realloc_backward", c.realloc_backward},
          {"malloc.mmap_threshold", a.mmap_threshold()},
          {"malloc.trim_threshold", a.trim_threshold()},
          {"mallinfo.arena", mi.arena},
          {"mallinfo.uordblks", mi.uordblks},
          {"mallinfo.fordblks", mi.fordblks},
          {"mallinfo.hblkhd", mi.hblkhd},
          {"mallinfo.keepcost", mi.keepcost}};
}

template nlohmann::json allocator_figures(Ptmalloc<GuestHeap>&);
template nlohmann::json allocator_figures(Ptmalloc<NativeHeap>&);

namespace {

// The run's result: the replay's checks, the allocator's figures and the
// lines of the text report.
WorkloadResult finish(Ptmalloc<GuestHeap>& a, const ReplayResult& r, double seconds) {
  WorkloadResult out;
  nlohmann::json& f = out.figures;
  f = allocator_figures(a);
  f["ops"] = r.ops;
  f["utilization"] = r.utilization;
  f["peak_payload"] = r.peak_payload;
  f["peak_heap"] = r.peak_heap;
  f["integrity_errors"] = r.integrity_errors;
  f["ops_per_s"] = seconds > 0 ? double(r.ops) / seconds : 0.0;
  out.data_mismatches = r.integrity_errors;
  out.first_error = r.first_error;
  if (r.allocator_error) {
    f["malloc.error"] = fmt::format("{}(0x{:x}): {}", r.allocator_error->call, r.allocator_error->address,
                                    r.allocator_error->what);
  }
  return out;
}

// The allocator's block of the text report, from its figures.
void describe(WorkloadResult& out) {
  const nlohmann::json& f = out.figures;
  out.lines.push_back(fmt::format(
      "  allocator          {} operations, utilization {:.3f} (peak payload {} / peak heap {}), {:.0f} ops/s",
      f.value("ops", 0), f.value("utilization", 0.0), f.value("peak_payload", 0), f.value("peak_heap", 0),
      f.value("ops_per_s", 0.0)));
  out.lines.push_back(fmt::format(
      "    hits: tcache {}, fast {}, small {}, unsorted exact {}, large {}, bin map {}, last "
      "remainder {}, top {} ({} batches); stashed from runs of splits {}",
      f.value("malloc.tcache_hits", 0), f.value("malloc.fastbin_hits", 0), f.value("malloc.smallbin_hits", 0),
      f.value("malloc.unsorted_exact", 0), f.value("malloc.largebin_hits", 0),
      f.value("malloc.binmap_hits", 0), f.value("malloc.last_remainder_splits", 0),
      f.value("malloc.top_splits", 0), f.value("malloc.top_batches", 0), f.value("malloc.split_stashed", 0)));
  out.lines.push_back(fmt::format(
      "    system: {} brk grows, {} trims, {} mmaps, {} munmaps, {} mremaps; mmap threshold now {}",
      f.value("malloc.brk_grows", 0), f.value("malloc.trims", 0), f.value("malloc.mmaps", 0),
      f.value("malloc.munmaps", 0), f.value("malloc.mremaps", 0), f.value("malloc.mmap_threshold", 0)));
  if (f.contains("malloc.error"))
    out.lines.push_back("    allocator error: " + f["malloc.error"].get<std::string>());
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

WorkloadResult MallocTraceWorkload::run(GuestRuntime& rt) {
  GuestHeap heap(rt);
  Ptmalloc<GuestHeap> a(heap);
  if (top_pad_ != pm::kDefaultTopPad)
    a.mallopt(MallOpt::kTopPad, top_pad_);  // as glibc, a call fixes the mmap threshold
  const auto t0 = std::chrono::steady_clock::now();
  const ReplayResult r = replay_checked(a, *trace_, /*sample_payload=*/true);
  WorkloadResult out = finish(a, r, seconds_since(t0));
  describe(out);
  return out;
}

MallocTrace make_malloc_workload_trace(uint64_t ops, uint64_t seed) {
  MallocTrace t;
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> live;
  std::vector<uint64_t> size;
  auto pick_size = [&]() -> uint64_t {
    const unsigned r = unsigned(rng() % 100);
    if (r < 50) return 1 + rng() % 64;        // tiny: tcache and fast bins
    if (r < 80) return 65 + rng() % 960;      // small bins
    if (r < 95) return 1025 + rng() % 30000;  // large bins
    return 100'000 + rng() % 400'000;         // around and above the mmap threshold
  };
  for (uint64_t i = 0; i < ops; ++i) {
    const unsigned r = unsigned(rng() % 100);
    if (!live.empty() && r < 40) {
      const size_t k = rng() % live.size();
      t.ops.push_back({MallocOp::Kind::kFree, live[k], 0, unsigned(i + 1)});
      live[k] = live.back();
      live.pop_back();
    } else if (!live.empty() && r < 55) {  // realloc chains: grow (mostly) or shrink
      const uint32_t id = live[rng() % live.size()];
      size[id] = rng() % 4 ? size[id] + size[id] / 2 + 16 : std::max<uint64_t>(size[id] / 2, 1);
      t.ops.push_back({MallocOp::Kind::kRealloc, id, size[id], unsigned(i + 1)});
    } else {
      const uint32_t id = uint32_t(size.size());
      size.push_back(pick_size());
      live.push_back(id);
      t.ops.push_back({MallocOp::Kind::kAlloc, id, size[id], unsigned(i + 1)});
    }
  }
  for (uint32_t id : live) t.ops.push_back({MallocOp::Kind::kFree, id, 0, unsigned(ops + 1)});
  t.ids = size.size();
  return t;
}

WorkloadResult MallocWorkload::run(GuestRuntime& rt) {
  GuestHeap heap(rt);
  Ptmalloc<GuestHeap> a(heap);
  const MallocTrace trace = make_malloc_workload_trace(calls_, seed_);
  const auto t0 = std::chrono::steady_clock::now();
  WorkloadResult out = finish(a, replay_checked(a, trace, true), 0);
  // The rest of the API, through the MMU as well: calloc must give zeros,
  // memalign its alignment, and trim must hand memory back.
  auto note = [&](bool ok, const std::string& what) {
    if (!ok) out.error(what);
    out.data_mismatches += !ok;
  };
  const uint64_t z = a.calloc(100, 40);
  bool zero = z != 0;
  for (uint64_t off = 0; zero && off < 4000; off += 8) zero = heap.load(z + off) == 0;
  note(zero, "calloc returned memory that is not zero");
  const uint64_t al = a.memalign(4096, 1000);
  note(al && al % 4096 == 0, "memalign(4096) returned a misaligned block");
  a.free(z);
  a.free(al);
  const uint64_t before = a.brk_bytes();
  a.trim(0);
  out.figures["malloc.trimmed_bytes"] = before - a.brk_bytes();
  out.figures.update(allocator_figures(a));
  if (a.error()) note(false, "allocator: " + a.error()->what);
  out.figures["integrity_errors"] = out.data_mismatches;
  const double seconds = seconds_since(t0);
  out.figures["ops_per_s"] = seconds > 0 ? double(out.figures.value("ops", 0)) / seconds : 0.0;
  describe(out);
  return out;
}

namespace {
// The calls are generated up front (about 50 host bytes each, with the
// replay's per-id state), and each costs about a hundred translations
// through the RTL: a million take minutes. More is refused, not begun.
constexpr uint64_t kMaxCalls = 1'000'000;

std::unique_ptr<Workload> make_malloc(const WorkloadOptions& o) {
  if (o.accesses > kMaxCalls) {
    throw std::invalid_argument(fmt::format(
        "--calls {}: the malloc workload makes at most {} allocator calls (they are generated up front, "
        "and a million take minutes through the MMU)",
        o.accesses, kMaxCalls));
  }
  return std::make_unique<MallocWorkload>(o);
}
}  // namespace

VMSIM_REGISTER_WORKLOAD(malloc, "malloc",
                        "the allocator in a guest process (--calls N allocator calls: 20000 by default)",
                        MallocWorkload::kDefaultCalls, 0, make_malloc);

}  // namespace vmsim
