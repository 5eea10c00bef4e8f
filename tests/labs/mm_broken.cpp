// mm_broken.cpp: allocators that break lab 5's rules on purpose, one per
// value of $LAB5_BROKEN, to show the grader catches each (tests/CMakeLists.txt):
//   overlap  every second malloc returns the block before it again, when it
//            is large enough (so the block lies inside the heap)
//   host     correct, but keeps a host std::vector of its blocks
//   outside  returns a block past the break
//   loop     never returns from its first malloc
#include <cstdlib>
#include <cstring>
#include <vector>

#include "labs/5-malloc/mm.h"

namespace lab5 {

namespace {
Memory* mem = nullptr;
const char* mode() {
  const char* m = std::getenv("LAB5_BROKEN");
  return m ? m : "";
}
std::vector<uint64_t>* host_list = nullptr;
}  // namespace

bool mm_init(Memory& m) {
  mem = &m;
  return true;
}

uint64_t mm_malloc(uint64_t size) {
  if (!std::strcmp(mode(), "loop")) {
    for (;;) mem->load(mem->heap_lo());
  }
  if (!std::strcmp(mode(), "outside")) return mem->heap_hi() + 4096;
  static uint64_t calls = 0, last = 0, last_size = 0;
  if (!std::strcmp(mode(), "overlap") && ++calls % 2 == 0 && last && size <= last_size) return last;
  const uint64_t p = mem->sbrk((size + 15) & ~uint64_t{15} ? (size + 15) & ~uint64_t{15} : 16);
  if (!std::strcmp(mode(), "host")) {
    if (!host_list) host_list = new std::vector<uint64_t>();
    host_list->push_back(p);
  }
  last_size = size;
  return last = p;
}

void mm_free(uint64_t) {}

uint64_t mm_realloc(uint64_t ptr, uint64_t size) {
  if (!ptr) return mm_malloc(size);
  if (!size) return 0;
  const uint64_t p = mm_malloc(size);
  // Copies `size` bytes: the old block may be shorter, but the heap only grows.
  for (uint64_t off = 0; off + 8 <= size && p; off += 8) mem->store(p + off, mem->load(ptr + off));
  return p;
}

}  // namespace lab5
