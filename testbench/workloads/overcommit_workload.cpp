#include "testbench/workloads/overcommit_workload.h"

#include <fmt/format.h>

#include <random>
#include <vector>

#include "testbench/workloads/sparse_array.h"

namespace vmsim {

namespace {

constexpr uint64_t kPrivateBase = 0x1000'0000;
constexpr uint64_t kSharedBase = 0x0800'0000;
constexpr uint64_t kSharedPages = 64;
constexpr uint64_t kWordsPerPage = kPageSize / 8;
constexpr uint64_t kSlice = 2'000;  // accesses per time slice

struct Task {
  Process* proc;
  SparseArray<uint64_t> shadow;     // every word of the private region
  SparseArray<uint32_t> last_word;  // per page: the last word written + 1 (0: never written)
};

class OvercommitProgram {
 public:
  OvercommitProgram(GuestRuntime& rt, const WorkloadOptions& cfg) : rt_(rt), cfg_(cfg), rng_(cfg.seed) {}

  WorkloadResult run() {
    if (!setup()) return res_;
    run_slices();
    verify();
    res_.figures = {{"accesses.loads", loads_},
                    {"accesses.stores", stores_},
                    {"accesses.shared", shared_accesses_},
                    {"overcommit.working_set_pages", working_set_pages_},
                    {"overcommit.verified_pages", verified_pages_}};
    res_.lines.push_back(fmt::format(
        "  guest accesses     {} loads, {} stores ({} shared); working sets {} pages in {} frames", loads_,
        stores_, shared_accesses_, working_set_pages_, rt_.frames().total()));
    res_.lines.push_back(fmt::format("  verified at end    {} pages read back", verified_pages_));
    return res_;
  }

 private:
  // Round robin in time slices until the accesses are done or everyone has ended.
  void run_slices() {
    uint64_t done = 0;
    size_t turn = 0;
    while (done < cfg_.accesses) {
      Task* t = next_alive(turn);
      if (!t) break;  // everyone has ended
      rt_.switch_to(*t->proc);
      for (uint64_t i = 0; i < kSlice && done < cfg_.accesses && t->proc->alive; ++i, ++done) step(*t);
    }
  }

  bool setup() {
    const uint64_t frames = rt_.frames().total();
    pages_ = (4 * frames + cfg_.processes - 1) / cfg_.processes;
    working_set_pages_ = pages_ * cfg_.processes;
    shared_ = std::make_shared<MemoryObject>();
    shared_->name = "shm";
    shared_shadow_.assign(kSharedPages * kWordsPerPage, 0);
    const Perms rw{true, true, false, true};
    for (unsigned i = 0; i < cfg_.processes; ++i) {
      const int adj = i == 0 ? -1000 : i == 1 ? 500 : 0;
      Process& p = i == 0 ? rt_.current() : rt_.create_process("worker", adj);
      if (i == 0) p.oom_score_adj = adj;
      p.name = fmt::format("worker-{}", i);
      rt_.switch_to(p);
      if (!rt_.add_lazy_region({"private", VirtAddr{kPrivateBase}, pages_ * kPageSize, rw}) ||
          !rt_.add_shared_region({"shm", VirtAddr{kSharedBase}, kSharedPages * kPageSize, rw}, shared_)) {
        res_.setup_error = "cannot lay out the worker processes";
        return false;
      }
      tasks_.push_back({&p, SparseArray<uint64_t>(pages_ * kWordsPerPage), SparseArray<uint32_t>(pages_)});
    }
    return true;
  }

  Task* next_alive(size_t& turn) {
    for (size_t k = 0; k < tasks_.size(); ++k) {
      Task& t = tasks_[turn++ % tasks_.size()];
      if (t.proc->alive) return &t;
    }
    return nullptr;
  }

  void error(std::string s) { res_.error(std::move(s)); }

  // A failed access is expected only when the OOM killer ended the process.
  void check_failure(Task& t, const AccessResult& a, VirtAddr va) {
    if (!t.proc->alive && t.proc->end_reason.find("OOM") != std::string::npos) return;
    ++res_.unexpected_faults;
    error(fmt::format("pid {} access to 0x{:x} failed: {}", t.proc->pid, va.value(),
                      a.fault ? a.fault->reason : std::string("?")));
  }

  void step(Task& t) {
    if (rng_() % 20 == 0) return shared_step(t);
    // A hot quarter of the pages takes 80% of the accesses.
    const uint64_t hot = std::max<uint64_t>(pages_ / 4, 1);
    const uint64_t page = rng_() % 5 ? rng_() % hot : rng_() % pages_;
    const uint64_t word = page * kWordsPerPage + rng_() % kWordsPerPage;
    const VirtAddr va{kPrivateBase + word * 8};
    if (rng_() & 1) {
      const uint64_t v = rng_() | 1;
      const AccessResult a = rt_.store(va, v, 8, Priv::kUser);
      ++stores_;
      if (!a.ok) return check_failure(t, a, va);
      t.shadow[word] = v;
      t.last_word[page] = uint32_t(word % kWordsPerPage) + 1;
    } else {
      const AccessResult a = rt_.load(va, 8, Priv::kUser);
      ++loads_;
      if (!a.ok) return check_failure(t, a, va);
      compare(t, va, a.value, t.shadow[word]);
    }
  }

  void shared_step(Task& t) {
    const uint64_t word = rng_() % shared_shadow_.size();
    const VirtAddr va{kSharedBase + word * 8};
    ++shared_accesses_;
    if (rng_() & 1) {
      const uint64_t v = rng_();
      const AccessResult a = rt_.store(va, v, 8, Priv::kUser);
      if (!a.ok) return check_failure(t, a, va);
      shared_shadow_[word] = v;
    } else {
      const AccessResult a = rt_.load(va, 8, Priv::kUser);
      if (!a.ok) return check_failure(t, a, va);
      compare(t, va, a.value, shared_shadow_[word]);
    }
  }

  void compare(Task& t, VirtAddr va, uint64_t got, uint64_t want) {
    if (got == want) return;
    ++res_.data_mismatches;
    error(fmt::format("data mismatch: pid {} read 0x{:016x} at 0x{:x}, wrote 0x{:016x}", t.proc->pid, got,
                      va.value(), want));
  }

  // Nothing lost: every page a survivor wrote still holds its last value.
  void verify() {
    for (Task& t : tasks_) {
      if (!t.proc->alive) continue;
      rt_.switch_to(*t.proc);
      for (uint64_t page = 0; page < pages_ && t.proc->alive; ++page) {
        if (!t.last_word[page]) continue;
        const uint64_t word = page * kWordsPerPage + t.last_word[page] - 1;
        const VirtAddr va{kPrivateBase + word * 8};
        const AccessResult a = rt_.load(va, 8, Priv::kUser);
        if (!a.ok) {
          check_failure(t, a, va);
          continue;
        }
        ++verified_pages_;
        compare(t, va, a.value, t.shadow[word]);
      }
    }
  }

  GuestRuntime& rt_;
  const WorkloadOptions& cfg_;
  std::mt19937_64 rng_;
  WorkloadResult res_;
  uint64_t loads_ = 0, stores_ = 0, shared_accesses_ = 0, verified_pages_ = 0, working_set_pages_ = 0;
  uint64_t pages_ = 0;
  std::vector<Task> tasks_;
  std::shared_ptr<MemoryObject> shared_;
  std::vector<uint64_t> shared_shadow_;
};

}  // namespace

OvercommitWorkload::OvercommitWorkload(const WorkloadOptions& o) : options_(o) {
  if (!options_.accesses) options_.accesses = kDefaultAccesses;
  if (options_.processes > 64)
    throw std::invalid_argument(
        fmt::format("--processes {}: the overcommit workload runs at most 64", o.processes));
}

WorkloadResult OvercommitWorkload::run(GuestRuntime& rt) {
  return OvercommitProgram(rt, options_).run();
}

namespace {
std::unique_ptr<Workload> make_overcommit(const WorkloadOptions& o) {
  return std::make_unique<OvercommitWorkload>(o);
}
}  // namespace

// A small memory by default, so that four times it is quick to touch, with
// swap that cannot hold everything, so the OOM killer has work too.
VMSIM_REGISTER_WORKLOAD(
    overcommit, "overcommit",
    "processes needing 4x memory: swap, kswapd, direct reclaim, OOM kills (200000 accesses)",
    OvercommitWorkload::kDefaultAccesses, 2048, make_overcommit);

}  // namespace vmsim
