#include "sw/kernel/kernel_time.h"

namespace vmsim {

uint64_t KernelTime::now() const {
  return svc_.clock ? svc_.clock() : stats_.swap_cycles + stats_.file_cycles + kernel_cycles_ + mmu_.cycles();
}

void KernelTime::flush() {
  const uint64_t cycles = pending_;
  pending_ = 0;
  // Called even with nothing pending: the end of a kernel section is where
  // the co-simulation may let other threads run.
  if (svc_.io_wait) svc_.io_wait(cycles);
}

}  // namespace vmsim
