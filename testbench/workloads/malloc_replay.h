// malloc_replay.h: replaying a malloc-lab trace, as the CS:APP driver does.
//
// The checked replay fills each payload with a pattern derived from its id,
// checks the pattern at realloc (the prefix that must survive) and at free,
// checks that every block is 16-byte aligned and that no two live blocks
// overlap, and measures utilization: peak live payload / peak bytes the
// allocator obtained by brk and mmap. In guest mode every byte it touches is
// a load or store through the RTL MMU, so it samples the payload (the first
// and last 64 bytes, and a word every 512) instead of filling it all.
//
// The timed replays run the same operations without checks, repeatedly,
// for the throughput figure: ours over host memory (glibc's is timed the same
// way by vmsim-glibc-heap, in a process of its own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sw/malloc/ptmalloc.h"
#include "testbench/formats/malloc_trace.h"

namespace vmsim {

struct ReplayResult {
  uint64_t ops = 0;
  uint64_t peak_payload = 0, peak_heap = 0;
  double utilization = 0;
  uint64_t integrity_errors = 0;
  std::string first_error;
  std::optional<MallocError> allocator_error;
};

template <typename Mem>
ReplayResult replay_checked(Ptmalloc<Mem>& alloc, const MallocTrace& trace, bool sample_payload);

struct Throughput {
  uint64_t ops = 0;
  double seconds = 0;
  double ops_per_s() const { return seconds > 0 ? double(ops) / seconds : 0; }
};

// At least `min_seconds` of repeated replays, each on a fresh heap.
Throughput time_native(const MallocTrace& trace, double min_seconds, uint64_t top_pad = pm::kDefaultTopPad);

}  // namespace vmsim
