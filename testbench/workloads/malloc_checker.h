// malloc_checker.h: the checked replay of a malloc-lab trace, as the CS:APP
// driver checks an allocator, for any allocator with the C API.
//
// It fills each payload with a pattern derived from its id, checks the
// pattern at realloc (the prefix that must survive) and at free, checks that
// every block is 16-byte aligned and that no two live blocks overlap, and
// measures utilization: peak live payload / peak bytes the allocator obtained.
// With `sample` it writes and checks the first and last 64 bytes of a payload
// and a word every 512, for memory where each access is costly (the guest's).
//
// Alloc provides malloc(n), realloc(p, n), free(p) with C's meaning (0 is
// NULL; realloc(p, 0) frees p and returns 0, as glibc's does),
// error() -> const std::optional<MallocError>& (the first misuse it
// detected), peak_heap_bytes(), and memory() with load(addr), store(addr, v)
// of 8-byte words and failed() (the guest process has ended). vmsim's
// Ptmalloc is one; lab 5's grader wraps a student's allocator as another.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sw/malloc/arena.h"
#include "testbench/formats/malloc_trace.h"
#include "testbench/workloads/malloc_replay.h"

namespace vmsim {

namespace malloc_check {

inline uint64_t pattern(uint64_t id, uint64_t word) {
  uint64_t z = id * 0x9E3779B97F4A7C15ull + word + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Whether word w of a payload of `filled` bytes is written by the fill:
// all whole words, or in sample mode the first and last 8 and every 64th.
inline bool filled_word(uint64_t w, uint64_t filled, bool sample) {
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

}  // namespace malloc_check

template <typename Alloc>
class MallocChecker {
 public:
  MallocChecker(Alloc& a, const MallocTrace& t, bool sample)
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
    malloc_check::for_each_word(bytes, bytes, sample_, [&](uint64_t w) {
      a_.memory().store(p + 8 * w, malloc_check::pattern(id, w));
    });
  }

  // Checks the first `bytes` bytes of a block last filled with `filled` bytes.
  bool check(const MallocOp& op, uint64_t p, uint64_t id, uint64_t bytes, uint64_t filled, const char* when) {
    if (a_.memory().failed())
      return error(op, "the guest process has ended (killed or faulted): its heap is gone");
    bool ok = true;
    malloc_check::for_each_word(bytes, filled, sample_, [&](uint64_t w) {
      if (ok && a_.memory().load(p + 8 * w) != malloc_check::pattern(id, w) && !a_.memory().failed()) {
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

  Alloc& a_;
  const MallocTrace& t_;
  bool sample_;
  std::vector<uint64_t> ptr_, size_;
  std::map<uint64_t, uint64_t> live_;
  uint64_t payload_ = 0;
  ReplayResult res_;
};

// The trace's calls with no checks, on any allocator with malloc, realloc
// and free: what the throughput figures measure (time on the host, guest
// accesses in lab 5). ptr[id] holds each id's block, and keeps what the pass
// leaves allocated.
template <typename Alloc>
void replay_unchecked(const MallocTrace& t, std::vector<uint64_t>& ptr, Alloc& a) {
  for (const MallocOp& op : t.ops) {
    switch (op.kind) {
      case MallocOp::Kind::kAlloc:
        ptr[op.id] = a.malloc(op.size);
        break;
      case MallocOp::Kind::kRealloc:
        ptr[op.id] = a.realloc(ptr[op.id], op.size);
        break;
      case MallocOp::Kind::kFree:
        a.free(ptr[op.id]);
        ptr[op.id] = 0;
        break;
    }
  }
}

}  // namespace vmsim
