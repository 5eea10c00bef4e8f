#include "testbench/workloads/malloc_replay.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <vector>

#include "testbench/workloads/malloc_checker.h"

namespace vmsim {

namespace {

constexpr uint64_t kNoTrim = 1 << 30;  // a trim threshold never reached

}  // namespace

template <typename Mem>
ReplayResult replay_checked(Ptmalloc<Mem>& alloc, const MallocTrace& trace, bool sample_payload) {
  return MallocChecker<Ptmalloc<Mem>>(alloc, trace, sample_payload).run();
}

template ReplayResult replay_checked(Ptmalloc<GuestHeap>&, const MallocTrace&, bool);
template ReplayResult replay_checked(Ptmalloc<NativeHeap>&, const MallocTrace&, bool);

// Both allocators are measured the same way: one warm heap, the trace
// replayed over and over, blocks a pass leaves allocated freed (untimed)
// before the next, and trimming off on both sides (M_TRIM_THRESHOLD), so
// the figure is the allocator's steady state rather than the kernel's cost
// of faulting a trimmed heap back in on every pass. glibc is timed the same
// way by vmsim-glibc-heap, in a process of its own (testbench/app/).
namespace {
// The ids a pass of the trace leaves holding a block (or NULL): what each
// pass frees, untimed, before the next. Only these, not every id slot, so a
// pass costs what its operations cost, however large its ids.
std::vector<uint32_t> ids_left(const MallocTrace& t) {
  std::vector<uint8_t> holds(t.ids, 0);
  for (const MallocOp& op : t.ops) holds[op.id] = op.kind != MallocOp::Kind::kFree;
  std::vector<uint32_t> left;
  for (uint32_t id = 0; id < t.ids; ++id) {
    if (holds[id]) left.push_back(id);
  }
  return left;
}
}  // namespace

Throughput time_native(const MallocTrace& t, double min_seconds, uint64_t top_pad) {
  Throughput out;
  std::vector<uint64_t> ptr(t.ids, 0);
  const std::vector<uint32_t> left = ids_left(t);
  NativeHeap heap;
  Ptmalloc<NativeHeap> a(heap);
  if (top_pad != pm::kDefaultTopPad) a.mallopt(MallOpt::kTopPad, top_pad);
  a.mallopt(MallOpt::kTrimThreshold, kNoTrim);
  while (out.seconds < min_seconds || out.ops == 0) {
    const auto t0 = std::chrono::steady_clock::now();
    replay_unchecked(t, ptr, a);
    out.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.ops += t.ops.size();
    for (uint32_t id : left) {
      a.free(ptr[id]);
      ptr[id] = 0;
    }
  }
  return out;
}

}  // namespace vmsim
