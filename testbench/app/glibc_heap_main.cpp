// glibc_heap_main.cpp: vmsim-glibc-heap, glibc's heap size on a malloc
// trace, measured in a process of its own.
//
//   vmsim-glibc-heap OPS_FILE TOP_PAD            prints "PEAK_HEAP_BYTES\n"
//   vmsim-glibc-heap OPS_FILE TOP_PAD SECONDS    prints "OPS SECONDS\n": throughput
//
// `vmsim malloc --glibc` writes the trace it parsed (its C meaning already
// resolved: realloc(NULL), free(NULL), malloc(0)) as fixed-size records and
// runs this program on them. glibc's heap must hold nothing but the trace's
// blocks for the figure to mean anything, and vmsim's own process has its
// objects in that heap; so this program calls malloc only to replay: the
// records and the pointer table live in mmap'd memory, read with read(2).
//
// Peak heap = the most of (break - initial break) + the bytes of glibc's
// mmapped chunks live at once, after each operation: what the utilization of
// vmsim's allocator counts on its side (bytes from brk and mmap).
//
// Throughput is timed here too, for the same reason: in vmsim's process,
// glibc's dynamic mmap threshold has been raised by vmsim's own large objects
// before the trace starts, and glibc would be timed in a state no program
// with the trace alone would be in.
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "sw/malloc/chunk.h"
#include "testbench/app/glibc_heap_ops.h"

namespace {

void* map_bytes(uint64_t n) {
  void* p = mmap(nullptr, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

bool read_all(int fd, void* buf, uint64_t n) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    const ssize_t got = read(fd, p, n);
    if (got <= 0) return false;
    p += got;
    n -= uint64_t(got);
  }
  return true;
}

// The size of an mmapped glibc chunk holding `p`, or 0 when it is on the heap
// (the size field before the payload has the IS_MMAPPED bit, 2).
uint64_t mmapped_size(void* p) {
  if (!p) return 0;
  const uint64_t head = static_cast<const uint64_t*>(p)[-1];
  return (head & 2) ? (head & ~uint64_t{7}) : 0;
}

struct Trace {
  vmsim::GlibcHeapHeader h{};
  vmsim::GlibcHeapOp* ops = nullptr;
  void** ptrs = nullptr;  // one per id, NULL at first
};

bool load(const char* path, Trace& t) {
  const int fd = open(path, O_RDONLY);
  if (fd < 0 || !read_all(fd, &t.h, sizeof t.h) || t.h.magic != vmsim::GlibcHeapHeader::kMagic) {
    std::fprintf(stderr, "vmsim-glibc-heap: %s: not a file of operations from vmsim malloc\n", path);
    return false;
  }
  t.ops = static_cast<vmsim::GlibcHeapOp*>(map_bytes(t.h.ops * sizeof(vmsim::GlibcHeapOp)));
  t.ptrs = static_cast<void**>(map_bytes(t.h.ids * sizeof(void*)));
  if (!t.ops || !t.ptrs || !read_all(fd, t.ops, t.h.ops * sizeof(vmsim::GlibcHeapOp))) {
    std::fprintf(stderr, "vmsim-glibc-heap: %s: cut short, or no memory for it\n", path);
    return false;
  }
  close(fd);
  for (uint64_t i = 0; i < t.h.ops; ++i) {
    if (t.ops[i].id >= t.h.ids || t.ops[i].kind > vmsim::GlibcHeapOp::kFree) {
      std::fprintf(stderr, "vmsim-glibc-heap: %s: record %llu is not an operation\n", path,
                   static_cast<unsigned long long>(i));
      return false;
    }
  }
  return true;
}

void apply(const vmsim::GlibcHeapOp& op, void*& p) {
  switch (op.kind) {
    case vmsim::GlibcHeapOp::kMalloc:
      p = malloc(op.size);
      break;
    case vmsim::GlibcHeapOp::kRealloc:
      p = realloc(p, op.size);
      break;
    default:
      free(p);
      p = nullptr;
      break;
  }
}

// The most bytes brk and glibc's mappings held at once, over one replay.
uint64_t peak_heap(Trace& t) {
  const auto start = reinterpret_cast<uintptr_t>(sbrk(0));
  uint64_t mapped = 0, peak = 0;
  for (uint64_t i = 0; i < t.h.ops; ++i) {
    void*& p = t.ptrs[t.ops[i].id];
    mapped -= mmapped_size(p);
    apply(t.ops[i], p);
    mapped += mmapped_size(p);
    const uint64_t heap = (reinterpret_cast<uintptr_t>(sbrk(0)) - start) + mapped;
    if (heap > peak) peak = heap;
  }
  return peak;
}

double now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Throughput as vmsim's own allocator is timed (time_native): trimming off,
// the trace replayed on one warm heap for at least `seconds`; between passes
// the blocks a pass leaves are freed, untimed. Prints "OPS SECONDS" (nothing
// when there is no memory for its tables).
void time_replays(Trace& t, double seconds) {
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // The ids a pass leaves holding a block: only these are freed between
  // passes, so a pass costs what its operations cost, however large its ids.
  auto* holds = static_cast<uint8_t*>(map_bytes(t.h.ids));
  auto* left = static_cast<uint32_t*>(map_bytes(t.h.ids * sizeof(uint32_t)));
  if (!holds || !left) return;
  for (uint64_t i = 0; i < t.h.ops; ++i) holds[t.ops[i].id] = t.ops[i].kind != vmsim::GlibcHeapOp::kFree;
  uint64_t n_left = 0;
  for (uint64_t id = 0; id < t.h.ids; ++id) {
    if (holds[id]) left[n_left++] = uint32_t(id);
  }
  uint64_t ops = 0;
  double spent = 0;
  while (spent < seconds || ops == 0) {
    const double t0 = now();
    for (uint64_t i = 0; i < t.h.ops; ++i) apply(t.ops[i], t.ptrs[t.ops[i].id]);
    spent += now() - t0;
    ops += t.h.ops;
    for (uint64_t k = 0; k < n_left; ++k) {
      free(t.ptrs[left[k]]);
      t.ptrs[left[k]] = nullptr;
    }
  }
  std::printf("%llu %.9f\n", static_cast<unsigned long long>(ops), spent);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fputs("usage: vmsim-glibc-heap OPS_FILE TOP_PAD [SECONDS] (run by vmsim malloc --glibc)\n", stderr);
    return 2;
  }
  // glibc's heap must be empty before the replay, or the trace would find
  // memory something else obtained (libstdc++'s start-up pool, say) and the
  // figure would be too small: refuse rather than measure wrong.
  if (const struct mallinfo2 mi = mallinfo2(); mi.arena != 0 || mi.hblkhd != 0) {
    std::fprintf(stderr, "vmsim-glibc-heap: glibc's heap holds %zu bytes before the replay; not measuring\n",
                 mi.arena + mi.hblkhd);
    return 2;
  }
  Trace t;
  if (!load(argv[1], t)) return 2;
  // As vmsim's side does: only a pad other than the default is a mallopt
  // call, which (in glibc too) also fixes the mmap threshold.
  const long pad = std::strtol(argv[2], nullptr, 10);
  if (uint64_t(pad) != vmsim::pm::kDefaultTopPad) mallopt(M_TOP_PAD, int(pad));
  if (argc == 4) {
    time_replays(t, std::strtod(argv[3], nullptr));
  } else {
    std::printf("%llu\n", static_cast<unsigned long long>(peak_heap(t)));
  }
  return 0;
}
