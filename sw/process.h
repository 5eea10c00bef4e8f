// process.h: a guest process: its address space, its fault figures, and
// what the OOM killer weighs it by.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sw/address_space.h"

namespace vmsim {

struct FaultCounts {
  uint64_t minor = 0, major = 0, invalid = 0;
  uint64_t cow = 0;  // first stores to a page shared since a fork: the page was copied
  uint64_t minor_cycles = 0, major_cycles = 0, invalid_cycles = 0, cow_cycles = 0;  // time spent on each kind

  FaultCounts& operator+=(const FaultCounts& o) {
    minor += o.minor, major += o.major, invalid += o.invalid, cow += o.cow;
    minor_cycles += o.minor_cycles, major_cycles += o.major_cycles, invalid_cycles += o.invalid_cycles;
    cow_cycles += o.cow_cycles;
    return *this;
  }
};

// Where a process's frames come from (Linux's mempolicy): its home node,
// or the nodes in turn, page by page.
enum class NumaPolicy : uint8_t { kLocal, kInterleave };

struct Process {
  int pid = 0;
  std::string name;
  std::unique_ptr<AddressSpace> as;
  int oom_score_adj = 0;  // -1000 (never killed) .. 1000, as in Linux
  bool alive = true;
  std::string end_reason;  // why it ended, if it did
  FaultCounts faults;
  VirtAddr brk_start{}, brk_end{};  // the heap that brk moves
  // NUMA: the node it runs on, and where its pages' frames should come from.
  unsigned home_node = 0;
  NumaPolicy numa_policy = NumaPolicy::kLocal;
  uint64_t interleaved = 0;  // frames placed so far under the interleave policy

  // The node the next frame for one of its pages should come from.
  unsigned preferred_node(unsigned nodes) {
    return numa_policy == NumaPolicy::kInterleave ? unsigned(interleaved++ % nodes) : home_node % nodes;
  }
};

}  // namespace vmsim
