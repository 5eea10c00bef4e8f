// scenario_overcommit.cpp: `vmsim run --workload more-than-memory`, the
// experiment of asking for more virtual memory than the machine has: 8 GiB,
// on a machine of 8 MiB of memory and 16 MiB of swap (the classic "8 GiB on
// a 4 GiB machine", memory scaled down so it runs in seconds).
//
// On Sv32 the mmap fails when it is made: a 32-bit address space has no
// 8 GiB gap (4 GiB in all, the lower 2 GiB for the user). On Sv39 and wider
// the mmap succeeds, because nothing is reserved: pages get frames when they
// are first written. The program writes one page after another; memory
// fills, kswapd and direct reclaim swap pages out, swap fills, and then the
// OOM killer ends the process. Along the way it reads back earlier pages
// (from swap by then) to check that nothing was lost.
#include <fmt/format.h>

#include "testbench/workloads/scenario_support.h"

namespace vmsim {

namespace {

constexpr uint64_t kAsk = 8ull << 30;
constexpr uint64_t kCheckEvery = 256;  // pages written between two read-backs

class MoreThanMemory final : public Workload {
 public:
  std::string name() const override { return "more-than-memory"; }
  std::string description() const override { return "more-than-memory scenario: mmap 8 GiB, then write it"; }

  WorkloadResult run(GuestRuntime& rt) override {
    WorkloadResult r;
    const auto at = rt.mmap(kAsk, Perms{true, true, false, true});
    r.figures = {{"scenario.asked_bytes", kAsk}, {"scenario.mmap_ok", at.has_value()}};
    r.lines.push_back(
        fmt::format("  mmap(8 GiB)        {}", at ? fmt::format("succeeded at {:#x}", at->value())
                                                  : std::string("failed: no 8 GiB gap in the "
                                                                "user address space")));
    if (!at) {
      explain(r, {"A 32-bit address space is 4 GiB in all, and the user has the lower half of it. No",
                  "amount of memory or swap helps: 8 GiB of addresses do not exist, so mmap fails when",
                  "it is called, before any page is touched. Run it with --mode sv39 to see the other end."});
      return r;
    }
    write_until_stopped(rt, at->value(), r);
    return r;
  }

 private:
  void write_until_stopped(GuestRuntime& rt, uint64_t base, WorkloadResult& r) {
    Process& p = rt.current();
    uint64_t written = 0;
    for (uint64_t off = 0; off < kAsk && p.alive; off += kPageSize) {
      if (!rt.store(VirtAddr{base + off}, off | 1, 8, Priv::kUser).ok) break;
      ++written;
      if (written % kCheckEvery == 0) {  // an early page, from swap by now
        const uint64_t back = (written / kCheckEvery - 1) * kPageSize;
        const AccessResult a = rt.load(VirtAddr{base + back}, 8, Priv::kUser);
        if (a.ok && a.value != (back | 1)) {
          ++r.data_mismatches;
          r.error(fmt::format("page at offset {:#x} read back {:#x}", back, a.value));
        }
      }
    }
    const bool oom = !p.alive && p.end_reason.find("OOM") != std::string::npos;
    if (!oom)
      r.error("the process was not ended by the OOM killer: " + (p.alive ? "still alive" : p.end_reason));
    r.unexpected_faults += !oom;
    r.always_show_swap = true;
    r.figures["scenario.pages_written"] = written;
    r.figures["scenario.frames"] = rt.frames().total();
    r.figures["scenario.swap_slots"] = rt.swap().total();
    r.lines.push_back(fmt::format("  written            {} pages ({} MiB) of 8 GiB, then: {}", written,
                                  written * kPageSize >> 20, p.alive ? "still alive" : p.end_reason));
    r.lines.push_back(fmt::format("  the machine        {} frames ({} MiB) and {} swap slots ({} MiB)",
                                  rt.frames().total(), rt.frames().total() * kPageSize >> 20,
                                  rt.swap().total(), rt.swap().total() * kPageSize >> 20));
    explain(r, {"With 39 or more address bits, 8 GiB of addresses is a small part of the user half, and",
                "mmap reserves nothing: it succeeds at once. Frames come one page fault at a time. When",
                "memory runs short, reclaim swaps pages out; when swap is full too, nothing can be freed,",
                "and the OOM killer ends the process: it had written about memory plus swap, no more."});
  }
};

std::unique_ptr<Workload> make_more_than_memory(const WorkloadOptions&) {
  return std::make_unique<MoreThanMemory>();
}

}  // namespace

VMSIM_REGISTER_WORKLOAD(
    more_than_memory, "more-than-memory",
    "scenario: mmap 8 GiB on an 8 MiB machine: fails on Sv32, OOM-killed after swap on Sv39", 0, 2048,
    make_more_than_memory);

}  // namespace vmsim
