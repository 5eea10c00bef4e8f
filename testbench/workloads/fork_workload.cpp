// fork_workload.cpp: `vmsim run --workload fork`, copy-on-write fork.
//
// A parent writes every page of a 1 MiB region, then forks --processes
// children (4 by default). In turns, each process (parent too) writes a few
// of the pages at random and reads others back, each checked against its own
// host-side copy of what it must see: the values from before the fork,
// except where it wrote itself. At the end every process reads every page
// back. The report gives the forks, the copy-on-write faults (one per page a
// process wrote first after the fork) and the pages still shared: the frames
// the children did not have to copy.
#include <fmt/format.h>

#include <random>
#include <stdexcept>
#include <vector>

#include "sw/kernel/process_table.h"
#include "testbench/workloads/scenario_support.h"

namespace vmsim {

namespace {

constexpr uint64_t kBase = 0x1000'0000;
constexpr uint64_t kPages = 256;
constexpr uint64_t kSlice = 500;  // accesses per turn

class ForkWorkload final : public Workload {
 public:
  explicit ForkWorkload(const WorkloadOptions& o) : o_(o) {
    if (!o_.accesses) o_.accesses = 20'000;
    const size_t limit = ProcessTable::max_processes(o.mode, RuntimeConfig{}.asid);
    if (o.processes + 1 > limit)
      throw std::invalid_argument(fmt::format(
          "--processes {}: fork past the process limit: {} has {} ASIDs for processes, the parent takes one",
          o.processes, to_string(o.mode), limit));
  }
  std::string name() const override { return "fork"; }
  std::string description() const override { return "fork workload: copy-on-write children"; }

  WorkloadResult run(GuestRuntime& rt) override {
    WorkloadResult r;
    Process& parent = rt.current();
    if (!rt.add_lazy_region({"data", VirtAddr{kBase}, kPages * kPageSize, Perms{true, true, false, true}})) {
      r.setup_error = "cannot map the parent's region";
      return r;
    }
    std::vector<Process*> procs{&parent};
    std::vector<std::vector<uint64_t>> seen(1, std::vector<uint64_t>(kPages));
    for (uint64_t i = 0; i < kPages; ++i) write(rt, r, procs, seen, 0, i, 0xF0 << 24 | i);
    const uint64_t frames_before = rt.user_frames_in_use();
    for (unsigned c = 0; c < o_.processes; ++c) {
      Process* child = rt.fork(parent);
      if (!child) {
        r.setup_error = "fork failed";
        return r;
      }
      procs.push_back(child);
      seen.push_back(seen[0]);
    }
    const uint64_t shared_after_fork = rt.pages_shared_since_fork();
    run_turns(rt, r, procs, seen);
    for (size_t k = 0; k < procs.size(); ++k) {
      for (uint64_t i = 0; i < kPages; ++i) read(rt, r, procs, seen, k, i);
    }
    report(rt, r, frames_before, shared_after_fork);
    return r;
  }

 private:
  void run_turns(GuestRuntime& rt, WorkloadResult& r, std::vector<Process*>& procs,
                 std::vector<std::vector<uint64_t>>& seen) {
    std::mt19937_64 rng(o_.seed);
    for (uint64_t done = 0; done < o_.accesses;) {
      const size_t k = (done / kSlice) % procs.size();
      for (uint64_t n = 0; n < kSlice && done < o_.accesses; ++n, ++done) {
        const uint64_t i = rng() % kPages;
        if (rng() % 8 == 0)
          write(rt, r, procs, seen, k, i, rng());
        else
          read(rt, r, procs, seen, k, i);
      }
    }
  }

  void write(GuestRuntime& rt, WorkloadResult& r, std::vector<Process*>& procs,
             std::vector<std::vector<uint64_t>>& seen, size_t k, uint64_t i, uint64_t v) {
    rt.switch_to(*procs[k]);
    if (!rt.store(VirtAddr{kBase + i * kPageSize}, v, 8, Priv::kUser).ok) {
      ++r.unexpected_faults;
      r.error(fmt::format("pid {}: a store to page {} faulted", procs[k]->pid, i));
      return;
    }
    seen[k][i] = v;
    ++stores_;
  }

  void read(GuestRuntime& rt, WorkloadResult& r, std::vector<Process*>& procs,
            std::vector<std::vector<uint64_t>>& seen, size_t k, uint64_t i) {
    rt.switch_to(*procs[k]);
    const AccessResult a = rt.load(VirtAddr{kBase + i * kPageSize}, 8, Priv::kUser);
    ++loads_;
    if (!a.ok) {
      ++r.unexpected_faults;
      r.error(fmt::format("pid {}: a load from page {} faulted", procs[k]->pid, i));
    } else if (a.value != seen[k][i]) {
      ++r.data_mismatches;
      r.error(fmt::format("pid {} page {}: read {:#x}, its own copy says {:#x}", procs[k]->pid, i, a.value,
                          seen[k][i]));
    }
  }

  void report(GuestRuntime& rt, WorkloadResult& r, uint64_t frames_before, uint64_t shared_after_fork) {
    const uint64_t copies = rt.stats().faults.cow;
    const uint64_t without_cow = kPages * (o_.processes + 1);
    r.figures = {{"accesses.loads", loads_},
                 {"accesses.stores", stores_},
                 {"fork.children", o_.processes},
                 {"fork.parent_frames", frames_before},
                 {"fork.shared_after_fork", shared_after_fork},
                 {"fork.frames_without_cow", without_cow}};
    r.lines.push_back(fmt::format("  guest accesses     {} loads, {} stores, in {} processes", loads_,
                                  stores_, o_.processes + 1));
    r.lines.push_back(fmt::format(
        "  copy-on-write      {} pages shared by {} children at fork; {} copied on a first store since;",
        kPages, o_.processes, copies));
    r.lines.push_back(
        fmt::format("                     {} still shared; a copying fork would have used {} frames",
                    rt.pages_shared_since_fork(), without_cow));
    explain(r, {"fork gives the child the parent's memory without copying it: both map the same frames,",
                "without write permission. The first store either makes to a page faults, and the kernel",
                "copies that page for it (a COW fault); every other page stays shared. Every process",
                "reads only the values from before the fork and its own writes."});
  }

  WorkloadOptions o_;
  uint64_t loads_ = 0, stores_ = 0;
};

std::unique_ptr<Workload> make_fork(const WorkloadOptions& o) {
  return std::make_unique<ForkWorkload>(o);
}

}  // namespace

VMSIM_REGISTER_WORKLOAD(fork, "fork",
                        "a parent and --processes copy-on-write children writing and reading a shared region "
                        "(20000 accesses)",
                        20'000, 0, make_fork);

}  // namespace vmsim
