// mm.h: lab 5's allocator interface (docs/labs/5-malloc.md).
//
// You write mm_init, mm_malloc, mm_free and mm_realloc in mm.cpp. They run
// over the heap of a guest process of vmsim's kernel: every load and store
// you make through `Memory` is a guest access, translated by the MMU (a page
// fault on first touch, the TLB, the walk), and counted by the grader.
//
// The rules, as in the CS:APP malloc lab:
// - Keep your data structures (free lists, their heads, block headers) in the
//   heap. Your mm.cpp may have global scalars and pointers (the Memory, the
//   address of your list heads), not global or static arrays, lists or trees,
//   and must not allocate host memory (new, malloc, std::vector ...): the
//   grader fails a trace on which it sees host allocation in your calls.
// - Payload addresses are 16-byte aligned, lie inside the heap and do not
//   overlap any other live block.
// - The heap grows only by mem.sbrk(); it never shrinks.
#pragma once

#include <cstdint>

namespace lab5 {

// The guest heap. Addresses are guest virtual addresses.
class Memory {
 public:
  virtual ~Memory() = default;
  // The 8-byte word at `addr` (a multiple of 8, inside the heap).
  virtual uint64_t load(uint64_t addr) = 0;
  virtual void store(uint64_t addr, uint64_t value) = 0;
  // Grows the heap by `bytes` (a multiple of 16) and returns the old break:
  // the first new byte. 0 when refused (bytes not a multiple of 16, or the
  // heap would pass its 256 MiB limit).
  virtual uint64_t sbrk(uint64_t bytes) = 0;
  virtual uint64_t heap_lo() = 0;  // the heap's first byte (16-byte aligned)
  virtual uint64_t heap_hi() = 0;  // the break: one past the heap's last byte
};

// Called before each trace with a fresh, empty heap: set up your state (and
// reset every global). False when it cannot.
bool mm_init(Memory& mem);
// A block of at least `size` bytes, or 0 when there is no memory. As in C,
// malloc(0) returns a block (of no usable bytes) that free accepts.
uint64_t mm_malloc(uint64_t size);
// Frees a block mm_malloc or mm_realloc returned; mm_free(0) does nothing.
void mm_free(uint64_t ptr);
// C's realloc: ptr 0 is mm_malloc(size); size 0 frees ptr and returns 0;
// otherwise a block of `size` bytes whose first min(old, size) bytes are the
// old block's, at ptr or elsewhere (then ptr is freed).
uint64_t mm_realloc(uint64_t ptr, uint64_t size);

}  // namespace lab5
