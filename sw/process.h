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

struct Process {
  int pid = 0;
  std::string name;
  std::unique_ptr<AddressSpace> as;
  int oom_score_adj = 0;  // -1000 (never killed) .. 1000, as in Linux
  bool alive = true;
  std::string end_reason;  // why it ended, if it did
  FaultCounts faults;
  VirtAddr brk_start{}, brk_end{};  // the heap that brk moves
};

}  // namespace vmsim
