// glibc_heap_main.cpp: vmsim-glibc-heap, glibc's heap size on a malloc
// trace, measured in a process of its own.
//
//   vmsim-glibc-heap OPS_FILE TOP_PAD     prints "PEAK_HEAP_BYTES\n"
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
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: vmsim-glibc-heap OPS_FILE TOP_PAD (written by vmsim malloc --glibc)\n", stderr);
    return 2;
  }
  const int fd = open(argv[1], O_RDONLY);
  vmsim::GlibcHeapHeader h{};
  if (fd < 0 || !read_all(fd, &h, sizeof h) || h.magic != vmsim::GlibcHeapHeader::kMagic) {
    std::fprintf(stderr, "vmsim-glibc-heap: %s: not a file of operations from vmsim malloc\n", argv[1]);
    return 2;
  }
  auto* ops = static_cast<vmsim::GlibcHeapOp*>(map_bytes(h.ops * sizeof(vmsim::GlibcHeapOp)));
  auto* ptrs = static_cast<void**>(map_bytes(h.ids * sizeof(void*)));  // zero: every id NULL
  if (!ops || !ptrs || !read_all(fd, ops, h.ops * sizeof(vmsim::GlibcHeapOp))) {
    std::fprintf(stderr, "vmsim-glibc-heap: %s: cut short, or no memory for it\n", argv[1]);
    return 2;
  }
  close(fd);
  // As vmsim's side does: only a pad other than the default is a mallopt
  // call, which (in glibc too) also fixes the mmap threshold.
  const long pad = std::strtol(argv[2], nullptr, 10);
  if (uint64_t(pad) != vmsim::pm::kDefaultTopPad) mallopt(M_TOP_PAD, int(pad));

  const auto start = reinterpret_cast<uintptr_t>(sbrk(0));
  uint64_t mapped = 0, peak = 0;
  for (uint64_t i = 0; i < h.ops; ++i) {
    const vmsim::GlibcHeapOp& op = ops[i];
    if (op.id >= h.ids) return 2;
    void*& p = ptrs[op.id];
    mapped -= mmapped_size(p);
    switch (op.kind) {
      case vmsim::GlibcHeapOp::kMalloc:
        p = malloc(op.size);
        break;
      case vmsim::GlibcHeapOp::kRealloc:
        p = realloc(p, op.size);
        break;
      case vmsim::GlibcHeapOp::kFree:
        free(p);
        p = nullptr;
        break;
    }
    mapped += mmapped_size(p);
    const uint64_t heap = (reinterpret_cast<uintptr_t>(sbrk(0)) - start) + mapped;
    if (heap > peak) peak = heap;
  }
  std::printf("%llu\n", static_cast<unsigned long long>(peak));
  return 0;
}
