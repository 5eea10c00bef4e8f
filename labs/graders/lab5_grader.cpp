// lab5_grader.cpp: scores a student's allocator (labs/5-malloc/mm.cpp), as
// the CS:APP malloc lab's mdriver does, in guest memory.
//
// Each trace of tests/data/malloc/ (vmsim's own, in the .rep format) is
// replayed on a fresh guest process of vmsim's kernel over the reference MMU:
// every load and store of the allocator is a guest access, translated and
// counted. The replay is vmsim's checked replay (testbench/workloads/
// malloc_checker.h): each payload filled with a pattern and checked at
// realloc and free, every block 16-byte aligned, inside the heap, and
// overlapping no other live block. A trace also fails when the allocator
// allocates host memory in its calls, or makes more than 400 million guest
// accesses on one trace (a loop that never ends; --access-budget N changes
// it: an implicit free list needs about 60 million on realloc_large).
//
//   correctness  20  the share of traces replayed without an error
//   utilization  50  peak live payload / peak heap, averaged over the traces
//                    (a failed trace counts 0); full marks at 0.80
//   throughput   30  the guest accesses (MMU translations) an unchecked
//                    replay takes, against vmsim's ptmalloc (glibc's design,
//                    brk only) on the same trace in the same kind of guest:
//                    a trace's full share at most 3 x ptmalloc's, in
//                    proportion above (6 x: half); a failed trace 0
//
// Usage: lab5_grader [--quiet] [--access-budget N]
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "labs/5-malloc/mm.h"
#include "model/file_swap_backend.h"
#include "model/host_memory.h"
#include "sw/kernel/guest_runtime.h"
#include "sw/malloc/ptmalloc.h"
#include "testbench/check/model_mmu.h"
#include "testbench/formats/malloc_trace.h"
#include "testbench/workloads/malloc_checker.h"

#ifndef VMSIM_LAB5_TRACES
#error "VMSIM_LAB5_TRACES (the folder of .rep traces) is set by labs/CMakeLists.txt"
#endif

// Host allocations made while the student's code runs: counted by the global
// operator new, which only the grader's process uses.
namespace {
bool g_in_student = false;
uint64_t g_host_allocs = 0;
}  // namespace

// GCC sees free() of what "new" returned; this operator new is malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  if (g_in_student) ++g_host_allocs;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

namespace {

using namespace vmsim;

constexpr uint64_t kHeapLimit = uint64_t{256} << 20;
uint64_t g_access_budget = 400'000'000;  // --access-budget: 60 times the reference solution's most
// Full utilization marks at 0.80: vmsim's ptmalloc averages 0.84 on these
// traces with mmap for its large blocks, which the lab's heap does not have.
constexpr double kFullUtilization = 0.80;
// Full throughput marks up to 3 x ptmalloc's guest accesses: its tcache and
// fast bins take a small block back in about 4 accesses with no coalescing;
// a good allocator that coalesces at once takes 2 to 3 times that.
constexpr double kFullRatio = 3.0;

// The reference MMU, counting the translations it is asked for: every guest
// load and store is one (and one more when it faulted and is retried).
class CountingMmu final : public MmuPort {
 public:
  explicit CountingMmu(MmuPort& inner) : inner_(inner) {}
  Translation translate(VirtAddr va, Access access, Priv priv) override {
    ++translations;
    return inner_.translate(va, access, priv);
  }
  void translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) override {
    translations += n;
    inner_.translate_batch(reqs, n, out);
  }
  void write_satp(uint64_t satp) override { inner_.write_satp(satp); }
  void set_control(const TranslationControl& ctl) override { inner_.set_control(ctl); }
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override { inner_.sfence(va, asid); }
  uint64_t cycles() const override { return inner_.cycles(); }
  uint64_t translations = 0;

 private:
  MmuPort& inner_;
};

struct Machine {
  Machine()
      : store(uint64_t{1} << 30),
        mem(store),
        swap(4096, 100),
        model(mem, MmuFeatures::all(64)),
        mmu(model),
        rt(mem, mmu, RuntimeConfig{}, KernelServices{&swap, nullptr, {}, {}, nullptr}) {}
  SparseStore store;
  HostMemory mem;
  FileSwapBackend swap;
  ModelMmu model;
  CountingMmu mmu;
  GuestRuntime rt;
};

struct OutOfBudget {};

// While the kernel serves the student's access (a page fault, brk), its own
// host allocations are not the student's.
class KernelSection {
 public:
  KernelSection() : saved_(std::exchange(g_in_student, false)) {}
  ~KernelSection() { g_in_student = saved_; }
  KernelSection(const KernelSection&) = delete;
  KernelSection& operator=(const KernelSection&) = delete;

 private:
  bool saved_;
};

// The guest heap as the student sees it: counted accesses, sbrk by brk.
class LabMemory final : public lab5::Memory {
 public:
  explicit LabMemory(GuestRuntime& rt) : rt_(rt) {
    const uint64_t start = rt.brk(std::nullopt)->value();
    lo_ = hi_ = (start + 15) & ~uint64_t{15};
    if (lo_ != start) ok_ = rt.brk(VirtAddr{lo_}).has_value();
  }
  uint64_t load(uint64_t addr) override {
    count(addr);
    const KernelSection kernel;
    const AccessResult a = rt_.load(VirtAddr{addr}, 8, Priv::kUser);
    if (!a.ok) ok_ = false;
    return a.value;
  }
  void store(uint64_t addr, uint64_t v) override {
    count(addr);
    const KernelSection kernel;
    if (!rt_.store(VirtAddr{addr}, v, 8, Priv::kUser).ok) ok_ = false;
  }
  uint64_t sbrk(uint64_t bytes) override {
    if (bytes % 16 || hi_ - lo_ + bytes > kHeapLimit) return 0;
    const KernelSection kernel;
    if (!rt_.brk(VirtAddr{hi_ + bytes})) return 0;
    const uint64_t old = hi_;
    hi_ += bytes;
    return old;
  }
  uint64_t heap_lo() override { return lo_; }
  uint64_t heap_hi() override { return hi_; }

  uint64_t accesses = 0;
  std::string misuse;  // the first access outside the rules
  bool ok() const { return ok_ && misuse.empty(); }

 private:
  void count(uint64_t addr) {
    const KernelSection kernel;  // the message below is the grader's
    if (++accesses > g_access_budget) throw OutOfBudget{};
    if (misuse.empty() && (addr % 8 || addr < lo_ || addr + 8 > hi_))
      misuse = fmt::format("an access at 0x{:x}, outside the heap [0x{:x}, 0x{:x}) or not 8-byte aligned",
                           addr, lo_, hi_);
  }
  GuestRuntime& rt_;
  uint64_t lo_ = 0, hi_ = 0;
  bool ok_ = true;
};

// The checker's view of guest memory: its own fills and checks, uncounted.
struct CheckerMemory {
  GuestRuntime& rt;
  const LabMemory& lab;
  uint64_t load(uint64_t a) { return rt.load(VirtAddr{a}, 8, Priv::kUser).value; }
  void store(uint64_t a, uint64_t v) { rt.store(VirtAddr{a}, v, 8, Priv::kUser); }
  bool failed() const { return !lab.ok(); }
};

// The student's allocator with the C API the checked replay drives.
class StudentAllocator {
 private:
  // Runs a student call, noting host allocation inside it.
  template <typename F>
  auto call(F&& f) {
    g_in_student = true;
    const uint64_t before = g_host_allocs;
    const auto r = f();
    g_in_student = false;
    if (g_host_allocs != before && !error_)
      error_ = MallocError{"", 0, "the allocator allocated host memory"};
    return r;
  }

 public:
  StudentAllocator(GuestRuntime& rt, LabMemory& lab) : lab_(lab), view_{rt, lab} {
    if (!call([&] { return lab5::mm_init(lab_); })) fail("mm_init", 0, "mm_init returned false");
  }
  uint64_t malloc(uint64_t n) {
    return placed("malloc", call([&] { return lab5::mm_malloc(n); }), n);
  }
  uint64_t realloc(uint64_t p, uint64_t n) {
    return placed("realloc", call([&] { return lab5::mm_realloc(p, n); }), n);
  }
  void free(uint64_t p) {
    call([&] {
      lab5::mm_free(p);
      return true;
    });
    check("free", p);
  }
  const std::optional<MallocError>& error() const { return error_; }
  uint64_t peak_heap_bytes() const { return lab_.heap_hi() - lab_.heap_lo(); }
  CheckerMemory& memory() { return view_; }

 private:
  void fail(const char* call, uint64_t addr, std::string what) {
    if (!error_) error_ = MallocError{call, addr, std::move(what)};
  }
  void check(const char* call, uint64_t p) {
    if (!lab_.misuse.empty()) fail(call, p, lab_.misuse);
  }
  uint64_t placed(const char* call, uint64_t p, uint64_t n) {
    check(call, p);
    if (p && (p < lab_.heap_lo() || p + std::max<uint64_t>(n, 1) > lab_.heap_hi())) {
      fail(call, p, fmt::format("block 0x{:x} of {} bytes is not inside the heap", p, n));
      return 0;  // the checker reports the failed call; its fill must not write outside
    }
    if (error_) return 0;
    return p;
  }
  LabMemory& lab_;
  CheckerMemory view_;
  std::optional<MallocError> error_;
};

// The trace's calls with no checks: the guest accesses they take, counted
// by the MMU. Alloc has malloc, realloc, free.
template <typename Alloc>
uint64_t count_accesses(const MallocTrace& t, Machine& m, Alloc& a) {
  std::vector<uint64_t> ptr(t.ids, 0);
  const uint64_t before = m.mmu.translations;
  replay_unchecked(t, ptr, a);
  return m.mmu.translations - before;
}

// The yardstick: vmsim's ptmalloc (glibc's design) on brk alone, as the
// student's allocator is (no mmap: its threshold above every block).
uint64_t ptmalloc_accesses(const MallocTrace& t) {
  Machine m;
  GuestHeap heap(m.rt);
  Ptmalloc<GuestHeap> a(heap);
  a.mallopt(MallOpt::kMmapThreshold, pm::kDefaultMmapThresholdMax);
  return count_accesses(t, m, a);
}

uint64_t student_accesses(const MallocTrace& t) {
  Machine m;
  LabMemory lab(m.rt);
  StudentAllocator a(m.rt, lab);
  return count_accesses(t, m, a);
}

struct TraceScore {
  std::string name;
  bool ok = false;
  double utilization = 0;
  uint64_t calls = 0, accesses = 0, yardstick = 0;  // guest accesses: the student's, ptmalloc's
  std::string problem;
  // The throughput share, 0..1: full at most kFullRatio x ptmalloc's accesses.
  double speed() const {
    return ok ? std::min(1.0, kFullRatio * double(yardstick) / double(std::max<uint64_t>(accesses, 1))) : 0;
  }
};

// The checked replay; then, when it passed, the accesses of an unchecked one.
TraceScore grade_trace(const std::filesystem::path& path) {
  TraceScore s;
  s.name = path.stem().string();
  std::ifstream in(path);
  std::string err;
  const std::optional<MallocTrace> trace = parse_malloc_trace(in, path.string(), err);
  if (!trace) {
    s.problem = err;
    return s;
  }
  s.calls = trace->ops.size();
  try {
    Machine m;
    LabMemory lab(m.rt);
    StudentAllocator a(m.rt, lab);
    ReplayResult r = a.error() ? ReplayResult{} : MallocChecker<StudentAllocator>(a, *trace, true).run();
    if (a.error() && r.first_error.empty()) r.first_error = a.error()->call + ": " + a.error()->what;
    s.ok = r.first_error.empty() && r.ops == s.calls;
    s.problem = r.first_error;
    s.utilization = s.ok ? r.utilization : 0;
    if (s.ok) s.accesses = student_accesses(*trace);
  } catch (const OutOfBudget&) {
    s.ok = false;
    s.problem = fmt::format("more than {} guest accesses: a loop that does not end?", g_access_budget);
  }
  if (s.ok) s.yardstick = ptmalloc_accesses(*trace);
  return s;
}

struct Options {
  bool quiet = false;
};

void print_score(const std::vector<TraceScore>& scores) {
  const double n = double(scores.size());
  unsigned passed = 0;
  double util = 0, speed = 0;
  for (const TraceScore& s : scores) passed += s.ok, util += s.utilization, speed += s.speed();
  const double correctness = 20.0 * passed / n, mean_util = util / n;
  const double utilization = 50.0 * std::min(1.0, mean_util / kFullUtilization);
  const double throughput = 30.0 * speed / n;
  std::cout << fmt::format("  correctness: {} of {} traces replayed without an error{:>22.1f} / 20\n", passed,
                           scores.size(), correctness);
  std::cout << fmt::format("  utilization: {:.3f} on average (full marks at {:.2f}){:>23.1f} / 50\n",
                           mean_util, kFullUtilization, utilization);
  std::cout << fmt::format("  throughput: {:.2f} of full speed on average{:>32.1f} / 30\n", speed / n,
                           throughput);
  std::cout << fmt::format("  total {:.1f} / 100\n", correctness + utilization + throughput);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quiet")) {
      o.quiet = true;
    } else if (!std::strcmp(argv[i], "--access-budget") && i + 1 < argc && std::atoll(argv[i + 1]) > 0) {
      g_access_budget = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::cerr << "usage: lab5_grader [--quiet] [--access-budget N]\n";
      return 2;
    }
  }
  std::vector<std::filesystem::path> traces;
  for (const auto& e : std::filesystem::directory_iterator(VMSIM_LAB5_TRACES)) {
    if (e.path().extension() == ".rep") traces.push_back(e.path());
  }
  std::sort(traces.begin(), traces.end());
  std::cout << "lab 5: your allocator, in guest memory\n";
  if (!o.quiet) {
    std::cout << fmt::format("  {:<14} {:>6} {:>6} {:>10} {:>10} {:>6}\n", "trace", "calls", "util",
                             "accesses", "ptmalloc", "speed");
  }
  std::vector<TraceScore> scores;
  for (const auto& t : traces) {
    const TraceScore& s = scores.emplace_back(grade_trace(t));
    if (!o.quiet) {
      std::cout << fmt::format("  {:<14} {:>6} {:>6.3f} {:>10} {:>10} {:>6.2f}  {}\n", s.name, s.calls,
                               s.utilization, s.accesses, s.yardstick, s.speed(),
                               s.ok ? "" : "FAILED: " + s.problem);
    }
  }
  print_score(scores);
  return 0;
}
