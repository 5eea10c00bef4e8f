// lab3_grader.cpp: scores a student's page-replacement policy
// (labs/3-replacement/student_policy.cpp, registered as "student").
//
// Correctness (40 points). Two processes on 32 user frames with swap write
// and rewrite 5 x 32 pages each, read everything back in random order, and
// the kernel's audit runs after each pass: every value must come back (20)
// and every audit must be clean, with no process killed (20). A policy that
// loses track of a page, names one it does not hold, or cannot find a
// victim fails here.
//
// Page-ins (60 points). Four reference strings the grader makes (a loop a
// quarter larger than memory, a hot set with cold misses, shifting phases,
// and a hot set under a long one-time scan), each replayed at 16, 32 and 64
// user frames with on-demand reclaim, by the student's policy and by LRU,
// FIFO and OPT on the same kernel. A case earns its full share at most 5%
// above LRU's page-ins, nothing at FIFO's or 25% above LRU's (whichever is
// more), and in between in proportion. OPT is printed for scale.
//
// Every run is the guest kernel over the reference MMU (no RTL): the grade
// takes seconds. Usage: lab3_grader [--quiet] [--policy NAME] (NAME: grade
// one of vmsim's own policies instead of the student's, for comparison).
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "model/file_swap_backend.h"
#include "model/host_memory.h"
#include "sw/kernel/guest_runtime.h"
#include "testbench/check/model_mmu.h"

namespace {

using namespace vmsim;

constexpr uint64_t kBase = 0x1000'0000;
const Perms kRW{true, true, false, true};

// A guest kernel with its memory, swap and MMU.
struct Machine {
  explicit Machine(RuntimeConfig cfg)
      : store(uint64_t{64} << 20),
        mem(store),
        swap(65536, 100),
        mmu(mem, MmuFeatures::all(64)),
        rt(mem, mmu, cfg, KernelServices{&swap, nullptr, {}, {}, nullptr}) {}
  SparseStore store;
  HostMemory mem;
  FileSwapBackend swap;
  ModelMmu mmu;
  GuestRuntime rt;
};

struct Reference {
  uint64_t page;
  bool store;
};

// ---- correctness ---------------------------------------------------------------------

struct Correctness {
  bool data = true, audit = true;
  std::string first_problem;
};

void note(Correctness& c, bool& flag, const std::string& what) {
  flag = false;
  if (c.first_problem.empty()) c.first_problem = what;
}

Correctness check_correctness(const std::string& policy) {
  Correctness c;
  RuntimeConfig cfg;
  cfg.policy = policy;
  cfg.user_frames = 32;
  Machine m(cfg);
  constexpr uint64_t kPages = 5 * 32;
  std::mt19937_64 rng(3);
  std::map<int, std::vector<uint64_t>> model;  // pid -> each page's value
  Process* procs[2] = {&m.rt.current(), &m.rt.create_process("second")};
  for (Process* p : procs) {
    m.rt.switch_to(*p);
    m.rt.add_lazy_region(Region{"data", VirtAddr{kBase}, kPages * kPageSize, kRW, false, nullptr, 0});
    model[p->pid].assign(kPages, 0);
  }
  for (int pass = 0; pass < 4; ++pass) {
    for (int step = 0; step < 3000; ++step) {
      Process* p = procs[rng() % 2];
      if (!p->alive) continue;
      m.rt.switch_to(*p);
      const uint64_t page = rng() % kPages, va = kBase + page * kPageSize + 8 * (page % 500);
      const bool store = pass == 0 || rng() % 3 == 0;
      const AccessResult a =
          store ? m.rt.store(VirtAddr{va}, rng(), 8, Priv::kUser) : m.rt.load(VirtAddr{va}, 8, Priv::kUser);
      if (!a.ok) {  // the run cannot go on: nothing it was to read back was checked
        note(c, c.audit, fmt::format("pid {} was stopped: {}", p->pid, p->end_reason));
        c.data = false;
        return c;
      }
      if (store) {
        model[p->pid][page] = m.rt.load(VirtAddr{va}, 8, Priv::kUser).value;  // the value just stored
      } else if (a.value != model[p->pid][page]) {
        note(c, c.data,
             fmt::format("pid {} page {} read 0x{:x}, stored 0x{:x}", p->pid, page, a.value,
                         model[p->pid][page]));
      }
    }
    const AuditReport rep = m.rt.audit();
    if (!rep.clean()) note(c, c.audit, "audit: " + rep.problems.front());
  }
  return c;
}

// ---- page-ins ------------------------------------------------------------------------

struct Trace {
  const char* name;
  std::vector<Reference> refs;
};

std::vector<Trace> make_traces(uint64_t frames) {
  std::mt19937_64 rng(frames);
  std::vector<Trace> t;
  auto add = [&](const char* name, auto next, size_t n) {
    t.push_back({name, {}});
    for (size_t i = 0; i < n; ++i) t.back().refs.push_back({next(i), rng() % 4 == 0});
  };
  const uint64_t loop = frames + frames / 4;
  add(
      "loop", [&](size_t i) { return i % loop; }, 20 * loop);
  add(
      "hot set, cold misses",
      [&](size_t) { return rng() % 5 ? rng() % (frames / 2) : frames + rng() % (8 * frames); }, 12000);
  add(
      "shifting phases", [&](size_t i) { return (i / 2000) % 4 * frames + rng() % (3 * frames / 4); }, 12000);
  uint64_t scan = 0;
  add(
      "hot set under a scan", [&](size_t i) { return i % 2 ? rng() % (frames / 2) : frames + scan++; },
      12000);
  return t;
}

// Page-ins of a replay, or nothing when the process could not finish it.
std::optional<uint64_t> replay(const Trace& t, const std::string& policy, uint64_t frames) {
  auto next = std::make_shared<std::vector<uint64_t>>(t.refs.size(), UINT64_MAX);
  std::map<uint64_t, uint64_t> seen;
  for (size_t i = t.refs.size(); i-- > 0;) {
    if (auto it = seen.find(t.refs[i].page); it != seen.end()) (*next)[i] = it->second;
    seen[t.refs[i].page] = i;
  }
  RuntimeConfig cfg;
  cfg.policy = policy;
  cfg.user_frames = frames;
  cfg.reclaim = ReclaimMode::kOnDemand;
  cfg.control.svadu = true;  // hardware A/D: a fault is a page-in, nothing else
  cfg.future = [next] { return NextUse(next); };
  Machine m(cfg);
  uint64_t top = 0;
  for (const Reference& r : t.refs) top = std::max(top, r.page + 1);
  m.rt.add_lazy_region(Region{"trace", VirtAddr{kBase}, top * kPageSize, kRW, false, nullptr, 0});
  for (size_t i = 0; i < t.refs.size(); ++i) {
    m.rt.set_reference_position(i);
    const VirtAddr va{kBase + t.refs[i].page * kPageSize};
    const AccessResult a =
        t.refs[i].store ? m.rt.store(va, i, 8, Priv::kUser) : m.rt.load(va, 8, Priv::kUser);
    if (!a.ok) return std::nullopt;
  }
  return m.rt.stats().faults.minor + m.rt.stats().faults.major;
}

std::string count(std::optional<uint64_t> n) {
  return n ? std::to_string(*n) : std::string("failed");
}

}  // namespace

int main(int argc, char** argv) {
  bool quiet = false;
  std::string policy = "student";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quiet")) {
      quiet = true;
    } else if (!std::strcmp(argv[i], "--policy") && i + 1 < argc) {
      policy = argv[++i];
    } else {
      std::cerr << "usage: lab3_grader [--quiet] [--policy NAME]\n";
      return 2;
    }
  }
  std::cout << "lab 3: "
            << (policy == "student" ? std::string("your page-replacement policy") : "policy " + policy)
            << "\n";
  const Correctness c = check_correctness(policy);
  const double correctness = (c.data ? 20.0 : 0.0) + (c.audit ? 20.0 : 0.0);
  std::cout << fmt::format("  correctness: data kept {}, audit clean and nothing killed {}  {:5.1f} / 40\n",
                           c.data ? "yes" : "NO", c.audit ? "yes" : "NO", correctness);
  if (!c.first_problem.empty()) std::cout << "    first problem: " << c.first_problem << "\n";
  double points = 0;
  unsigned cases = 0;
  if (!quiet)
    std::cout << fmt::format("  {:<22} {:>6} {:>8} {:>8} {:>8} {:>8} {:>9}  {}\n", "page-ins: trace",
                             "frames", "yours", "LRU", "FIFO", "OPT", "you/LRU", "share");
  for (const uint64_t frames : {16u, 32u, 64u}) {
    for (const Trace& t : make_traces(frames)) {
      const auto you = replay(t, policy, frames), lru = replay(t, "lru", frames),
                 fifo = replay(t, "fifo", frames), opt = replay(t, "opt", frames);
      const double good = 1.05 * double(*lru), bad = std::max(double(*fifo), 1.25 * double(*lru));
      double share = 0;
      if (you && double(*you) <= good) {
        share = 1;
      } else if (you && bad > good) {
        share = std::clamp((bad - double(*you)) / (bad - good), 0.0, 1.0);
      }
      points += share;
      ++cases;
      if (!quiet)
        std::cout << fmt::format(
            "  {:<22} {:>6} {:>8} {:>8} {:>8} {:>8} {:>9} {:5.2f}\n", t.name, frames, count(you), *lru, *fifo,
            count(opt), you ? fmt::format("{:.3f}", double(*you) / double(*lru)) : std::string("-"), share);
    }
  }
  const double performance = 60.0 * points / cases;
  std::cout << fmt::format(
      "  page-ins: {:.2f} of {} cases' shares                                  {:5.1f} / 60\n", points, cases,
      performance);
  std::cout << fmt::format("  total {:.1f} / 100\n", correctness + performance);
  return 0;
}
