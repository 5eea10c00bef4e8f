#include "testbench/workloads/malloc_replay.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <vector>

namespace vmsim {

namespace {

constexpr uint64_t kNoTrim = 1 << 30;  // a trim threshold never reached

uint64_t pattern(uint64_t id, uint64_t word) {
  uint64_t z = id * 0x9E3779B97F4A7C15ull + word + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Whether word w of a payload of `filled` bytes is written by the fill:
// all whole words, or in sample mode the first and last 8 and every 64th.
bool filled_word(uint64_t w, uint64_t filled, bool sample) {
  const uint64_t words = filled / 8;  // whole words only: the tail byte(s) are left alone
  return w < words && (!sample || w < 8 || w + 8 >= words || w % 64 == 0);
}

// Calls f for each word of the first `bytes` bytes that a fill of `filled`
// bytes wrote (a realloc checks a prefix of what was filled).
template <typename F>
void for_each_word(uint64_t bytes, uint64_t filled, bool sample, F&& f) {
  for (uint64_t w = 0; w < bytes / 8; ++w) {
    if (filled_word(w, filled, sample)) f(w);
  }
}

template <typename Mem>
class Checker {
 public:
  Checker(Ptmalloc<Mem>& a, const MallocTrace& t, bool sample)
      : a_(a), t_(t), sample_(sample), ptr_(t.ids, 0), size_(t.ids, 0) {}

  ReplayResult run() {
    for (const MallocOp& op : t_.ops) {
      if (!step(op)) break;
      ++res_.ops;
      res_.peak_payload = std::max(res_.peak_payload, payload_);
    }
    res_.peak_heap = a_.peak_heap_bytes();
    res_.utilization = res_.peak_heap ? double(res_.peak_payload) / double(res_.peak_heap) : 0;
    res_.allocator_error = a_.error();
    return res_;
  }

 private:
  bool error(const MallocOp& op, std::string what) {
    ++res_.integrity_errors;
    if (res_.first_error.empty()) res_.first_error = fmt::format("line {}: {}", op.line, what);
    return false;
  }

  void fill(uint64_t p, uint64_t id, uint64_t bytes) {
    for_each_word(bytes, bytes, sample_, [&](uint64_t w) { a_.memory().store(p + 8 * w, pattern(id, w)); });
  }

  // Checks the first `bytes` bytes of a block last filled with `filled` bytes.
  bool check(const MallocOp& op, uint64_t p, uint64_t id, uint64_t bytes, uint64_t filled, const char* when) {
    if (a_.memory().failed())
      return error(op, "the guest process has ended (killed or faulted): its heap is gone");
    bool ok = true;
    for_each_word(bytes, filled, sample_, [&](uint64_t w) {
      if (ok && a_.memory().load(p + 8 * w) != pattern(id, w) && !a_.memory().failed()) {
        ok = error(op, fmt::format("payload of id {} changed at byte {} ({})", id, 8 * w, when));
      }
    });
    return ok;
  }

  bool place(const MallocOp& op, uint64_t p, uint64_t bytes) {
    if (p % 16) return error(op, fmt::format("block 0x{:x} is not 16-byte aligned", p));
    const uint64_t end = p + std::max<uint64_t>(bytes, 1);
    auto next = live_.lower_bound(p);
    if (next != live_.end() && next->first < end)
      return error(op, fmt::format("block 0x{:x} overlaps 0x{:x}", p, next->first));
    if (next != live_.begin() && std::prev(next)->second > p) {
      return error(op, fmt::format("block 0x{:x} overlaps 0x{:x}", p, std::prev(next)->first));
    }
    live_.emplace(p, end);
    return true;
  }

  bool step(const MallocOp& op) {
    const uint64_t id = op.id;
    switch (op.kind) {
      case MallocOp::Kind::kAlloc: {
        const uint64_t p = a_.malloc(op.size);
        if (!p)
          return error(
              op, fmt::format("malloc({}) failed{}", op.size, a_.error() ? ": " + a_.error()->what : ""));
        if (!place(op, p, op.size)) return false;
        fill(p, id, op.size);
        ptr_[id] = p, size_[id] = op.size, payload_ += op.size;
        return true;
      }
      case MallocOp::Kind::kRealloc: {
        const uint64_t old = ptr_[id], old_size = size_[id];
        const uint64_t p = a_.realloc(old, op.size);
        if (!p && (op.size || !old)) return error(op, fmt::format("realloc({}) failed", op.size));
        live_.erase(old);
        if (!p) {  // realloc(p, 0) freed the block and returned NULL (glibc's meaning)
          payload_ -= old_size;
          ptr_[id] = 0, size_[id] = 0;
          return true;
        }
        if (!place(op, p, op.size)) return false;
        if (!check(op, p, id, std::min(old_size, op.size), old_size, "realloc must keep it")) return false;
        fill(p, id, op.size);
        ptr_[id] = p, size_[id] = op.size, payload_ += op.size, payload_ -= old_size;
        return true;
      }
      case MallocOp::Kind::kFree: {
        if (!check(op, ptr_[id], id, size_[id], size_[id], "before free")) return false;
        a_.free(ptr_[id]);
        if (a_.error()) return error(op, "free failed: " + a_.error()->what);
        live_.erase(ptr_[id]);
        payload_ -= size_[id];
        ptr_[id] = 0, size_[id] = 0;
        return true;
      }
    }
    return false;
  }

  Ptmalloc<Mem>& a_;
  const MallocTrace& t_;
  bool sample_;
  std::vector<uint64_t> ptr_, size_;
  std::map<uint64_t, uint64_t> live_;
  uint64_t payload_ = 0;
  ReplayResult res_;
};

// The same operations with no checks: what the throughput figure measures.
template <typename MallocFn, typename ReallocFn, typename FreeFn>
double replay_untimed_ops(const MallocTrace& t, std::vector<uint64_t>& ptr, MallocFn&& m, ReallocFn&& r,
                          FreeFn&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  for (const MallocOp& op : t.ops) {
    switch (op.kind) {
      case MallocOp::Kind::kAlloc:
        ptr[op.id] = m(op.size);
        break;
      case MallocOp::Kind::kRealloc:
        ptr[op.id] = r(ptr[op.id], op.size);
        break;
      case MallocOp::Kind::kFree:
        f(ptr[op.id]);
        ptr[op.id] = 0;
        break;
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

template <typename Mem>
ReplayResult replay_checked(Ptmalloc<Mem>& alloc, const MallocTrace& trace, bool sample_payload) {
  return Checker<Mem>(alloc, trace, sample_payload).run();
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
    out.seconds += replay_untimed_ops(
        t, ptr, [&](uint64_t n) { return a.malloc(n); },
        [&](uint64_t p, uint64_t n) { return a.realloc(p, n); }, [&](uint64_t p) { a.free(p); });
    out.ops += t.ops.size();
    for (uint32_t id : left) {
      a.free(ptr[id]);
      ptr[id] = 0;
    }
  }
  return out;
}

}  // namespace vmsim
