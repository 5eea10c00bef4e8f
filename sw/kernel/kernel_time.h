// kernel_time.h: the kernel's own time, and its critical sections.
//
// The RTL counts its own cycles. The kernel adds what the RTL does not see:
// trap entry and handler time, clearing pages (charge), and swap device
// latency (add_io). Those cycles pile up while a kernel operation runs and
// are handed to the harness (KernelServices::io_wait) when the outermost
// operation ends. That is also the only point where the co-simulation may let
// another thread (kswapd) run: in between, the kernel's state is inconsistent.
#pragma once

#include <cstdint>

#include "sw/kernel/runtime_config.h"

namespace vmsim {

class KernelTime {
 public:
  KernelTime(const KernelServices& svc, const MmuPort& mmu, const RuntimeStats& stats)
      : svc_(svc), mmu_(mmu), stats_(stats) {}

  // Marks a kernel operation for as long as it lives; nests.
  class Section {
   public:
    explicit Section(KernelTime& t) : t_(t) { ++t_.depth_; }
    ~Section() {
      if (--t_.depth_ == 0) t_.flush();
    }
    Section(const Section&) = delete;
    Section& operator=(const Section&) = delete;

   private:
    KernelTime& t_;
  };

  // The kernel's own work: counted as kernel time and let pass.
  void charge(uint64_t cycles) {
    kernel_cycles_ += cycles;
    pending_ += cycles;
  }
  // A device's latency (already counted in the stats by the caller): let pass.
  void add_io(uint64_t cycles) { pending_ += cycles; }
  // Cycles now: the harness's clock, or MMU cycles plus kernel and device time.
  uint64_t now() const;
  bool in_critical_section() const { return depth_ > 0; }

 private:
  void flush();

  const KernelServices& svc_;
  const MmuPort& mmu_;
  const RuntimeStats& stats_;
  int depth_ = 0;
  uint64_t pending_ = 0;        // time not yet let pass
  uint64_t kernel_cycles_ = 0;  // kernel time so far
};

}  // namespace vmsim
