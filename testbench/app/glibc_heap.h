// glibc_heap.h: glibc's peak heap on a malloc trace, for the utilization
// comparison of `vmsim malloc --glibc`. It runs vmsim-glibc-heap (built next
// to vmsim) in a process of its own, where glibc's heap holds the trace's
// blocks alone; see glibc_heap_main.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "testbench/formats/malloc_trace.h"

namespace vmsim {

// Peak bytes glibc obtained by brk and mmap replaying `trace` with M_TOP_PAD
// `top_pad`; nullopt with `error` set when the helper could not run.
std::optional<uint64_t> glibc_peak_heap(const MallocTrace& trace, uint64_t top_pad, std::string& error);

// glibc's throughput on `trace`, timed as time_native times vmsim's allocator
// (at least `seconds` of replays on one warm heap, trimming off), in a
// process of its own; nullopt with `error` set when the helper could not run.
std::optional<double> glibc_ops_per_s(const MallocTrace& trace, uint64_t top_pad, double seconds,
                                      std::string& error);

}  // namespace vmsim
