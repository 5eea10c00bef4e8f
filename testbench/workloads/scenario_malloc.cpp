// scenario_malloc.cpp: three built-in scenarios about where malloc's memory
// comes from, each a few allocator calls in a guest process (every load and
// store through the RTL MMU), with its figures and its lesson in the report:
//
//   malloc-one    malloc(1): the first call makes a 132 KiB heap, of which
//                 one page is resident
//   brk-vs-mmap   below the mmap threshold from brk, at it from mmap; free of
//                 an mmapped chunk raises the threshold; trimming the heap
//   lazy          a 64 MiB malloc touched in its first quarter: virtual size
//                 against resident size
#include <fmt/format.h>

#include "sw/malloc/ptmalloc.h"
#include "testbench/workloads/scenario_support.h"

namespace vmsim {

namespace {

class MallocScenario : public Workload {
 public:
  WorkloadResult run(GuestRuntime& rt) override {
    GuestHeap heap(rt);
    Ptmalloc<GuestHeap> a(heap);
    WorkloadResult r;
    play(rt, a, r);
    if (a.error()) r.error("allocator: " + a.error()->call + ": " + a.error()->what);
    if (heap.failed()) r.error("a guest access through the MMU failed");
    r.unexpected_faults += heap.failed();
    return r;
  }

 protected:
  virtual void play(GuestRuntime& rt, Ptmalloc<GuestHeap>& a, WorkloadResult& r) = 0;

  // Writes a word and reads it back through the MMU.
  static void check_word(GuestHeap& heap, uint64_t addr, uint64_t v, WorkloadResult& r) {
    heap.store(addr, v);
    if (heap.load(addr) != v) {
      ++r.data_mismatches;
      r.error(fmt::format("the word at {:#x} did not read back", addr));
    }
  }
};

class MallocOne final : public MallocScenario {
 public:
  std::string name() const override { return "malloc-one"; }
  std::string description() const override { return "malloc-one scenario: malloc(1) and the first heap"; }

 private:
  void play(GuestRuntime& rt, Ptmalloc<GuestHeap>& a, WorkloadResult& r) override {
    const uint64_t before = a.brk_bytes();
    const uint64_t p = a.malloc(1);
    const uint64_t heap_bytes = a.brk_bytes() - before;
    check_word(a.memory(), p, 0x41, r);
    const uint64_t q = a.malloc(1);
    const ProcessSize size = process_size(rt.current());
    r.figures = {{"scenario.heap_bytes", heap_bytes},
                 {"scenario.usable_bytes", a.usable_size(p)},
                 {"scenario.next_chunk_offset", q - p},
                 {"scenario.top_pad", pm::kDefaultTopPad},
                 {"scenario.resident_bytes", size.resident_bytes},
                 {"scenario.virtual_bytes", size.virtual_bytes}};
    r.lines.push_back(fmt::format("  malloc(1)          returned {:#x}; the heap grew by {} ({} bytes)", p,
                                  kib(heap_bytes), heap_bytes));
    r.lines.push_back(fmt::format("  its chunk          {} usable bytes; the next malloc(1) is {} bytes on",
                                  a.usable_size(p), q - p));
    r.lines.push_back(fmt::format("  the process        virtual {}, resident {}", kib(size.virtual_bytes),
                                  kib(size.resident_bytes)));
    explain(r, {"The first malloc finds no heap, so it asks brk for the request plus a top pad of 128 KiB,",
                "rounded up to whole pages: 132 KiB. Later small requests are carved from that top chunk",
                "without a system call. A 1-byte request still takes a 32-byte chunk: 8 bytes of header",
                "and 16-byte alignment. Only the pages malloc has written are resident: the rest of the",
                "heap is reserved address space until something touches it."});
  }
};

class BrkVsMmap final : public MallocScenario {
 public:
  std::string name() const override { return "brk-vs-mmap"; }
  std::string description() const override { return "brk-vs-mmap scenario: the mmap threshold and trimming"; }

 private:
  void play(GuestRuntime& rt, Ptmalloc<GuestHeap>& a, WorkloadResult& r) override {
    const uint64_t threshold = a.mmap_threshold();
    // The chunk header's IS_MMAPPED bit (bit 1 of the size field) says where it came from.
    auto where = [&](uint64_t p) { return a.memory().load(p - 8) & 2 ? "its own mmap" : "brk heap"; };
    auto step = [&](const std::string& what) {
      r.lines.push_back(fmt::format("  {:<37} heap {:>8} bytes, {} mmaps, threshold {}", what, a.brk_bytes(),
                                    a.counters().mmaps, a.mmap_threshold()));
    };
    // Small enough for the brk heap; then large enough for a mapping of its
    // own (above the threshold, and more than the top chunk holds: only a
    // request top cannot serve reaches the system, in glibc as here).
    const uint64_t small = 100 << 10, large = 2 * threshold;
    const uint64_t below = a.malloc(small);
    check_word(a.memory(), below, 1, r);
    step(fmt::format("malloc({}) -> {}", small, where(below)));
    const uint64_t at = a.malloc(large);
    check_word(a.memory(), at, 2, r);
    step(fmt::format("malloc({}) -> {}", large, where(at)));
    a.free(at);
    step("free it: munmap, threshold raised");
    const uint64_t again = a.malloc(large);
    check_word(a.memory(), again, 3, r);
    step(fmt::format("malloc({}) -> {}", large, where(again)));
    const uint64_t grown = a.brk_bytes();
    a.free(again);
    a.free(below);
    step(fmt::format("free both: top below trim {}", a.trim_threshold()));
    a.trim(0);
    step("malloc_trim(0): the top goes back");
    r.figures = {{"scenario.threshold_before", threshold},
                 {"scenario.threshold_after", a.mmap_threshold()},
                 {"scenario.mmaps", a.counters().mmaps},
                 {"scenario.heap_grown", grown},
                 {"scenario.heap_after_trim", a.brk_bytes()},
                 {"scenario.trims", a.counters().trims},
                 {"scenario.resident_bytes", process_size(rt.current()).resident_bytes}};
    explain(r, {"A request the top chunk cannot serve goes to the system: at or above the mmap threshold",
                "(128 KiB at first) it gets a mapping of its own, below it the brk heap grows. Freeing an",
                "mmapped chunk unmaps it at once and, as glibc does, raises the mmap threshold to that",
                "chunk's size (the program evidently uses blocks that large, so the next one comes from",
                "the heap) and the trim threshold to twice that. So free no longer trims this heap: its",
                "free top is below the raised trim threshold. malloc_trim(0) gives it back regardless."});
  }
};

class Lazy final : public MallocScenario {
 public:
  std::string name() const override { return "lazy"; }
  std::string description() const override { return "lazy scenario: virtual size against resident size"; }

 private:
  static constexpr uint64_t kBytes = 64ull << 20, kTouched = 16ull << 20;

  void play(GuestRuntime& rt, Ptmalloc<GuestHeap>& a, WorkloadResult& r) override {
    const ProcessSize start = process_size(rt.current());
    const uint64_t minor0 = rt.stats().faults.minor;
    const uint64_t p = a.malloc(kBytes);
    const ProcessSize allocated = process_size(rt.current());
    for (uint64_t off = 0; off < kTouched; off += kPageSize) a.memory().store(p + off, off);
    const ProcessSize touched = process_size(rt.current());
    const uint64_t faults = rt.stats().faults.minor - minor0;
    for (uint64_t off = 0; off < kTouched; off += 64 * kPageSize) check_word(a.memory(), p + off, off, r);
    a.free(p);
    const ProcessSize freed = process_size(rt.current());
    auto line = [&](const char* when, const ProcessSize& s) {
      r.lines.push_back(fmt::format("  {:<31} virtual {:>10}, resident {:>10}", when, kib(s.virtual_bytes),
                                    kib(s.resident_bytes)));
    };
    line("at start", start);
    line("after malloc(64 MiB)", allocated);
    line("after writing its first 16 MiB", touched);
    line("after free", freed);
    r.lines.push_back(
        fmt::format("  minor faults       {} while writing ({} pages)", faults, kTouched / kPageSize));
    r.figures = {{"scenario.virtual_after_malloc", allocated.virtual_bytes},
                 {"scenario.resident_after_malloc", allocated.resident_bytes},
                 {"scenario.virtual_after_touch", touched.virtual_bytes},
                 {"scenario.resident_after_touch", touched.resident_bytes},
                 {"scenario.minor_faults", faults},
                 {"scenario.resident_after_free", freed.resident_bytes}};
    explain(r, {"malloc(64 MiB) maps 64 MiB of address space and touches only the chunk header: the",
                "virtual size jumps, the resident size does not. Each first write to a page is a minor",
                "fault that gives it a zeroed frame, so residency follows what the program uses. free",
                "unmaps the chunk and both sizes fall back to the brk heap the first malloc set up (the",
                "tcache's struct and the top pad, as glibc's first malloc does)."});
  }
};

template <typename W>
std::unique_ptr<Workload> make(const WorkloadOptions&) {
  return std::make_unique<W>();
}

}  // namespace

VMSIM_REGISTER_WORKLOAD(malloc_one, "malloc-one",
                        "scenario: malloc(1) makes a 132 KiB heap, one page resident", 0, 0, make<MallocOne>);
VMSIM_REGISTER_WORKLOAD(brk_vs_mmap, "brk-vs-mmap",
                        "scenario: brk below the mmap threshold, mmap at it; the threshold rises; trimming",
                        0, 0, make<BrkVsMmap>);
VMSIM_REGISTER_WORKLOAD(lazy, "lazy",
                        "scenario: a 64 MiB malloc touched in its first 16 MiB: VSZ against RSS", 0, 0,
                        make<Lazy>);

}  // namespace vmsim
