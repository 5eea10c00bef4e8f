// mm.cpp: lab 5's reference solution. Segregated explicit free lists with
// boundary tags, in the heap:
//
//   heap_lo: kClasses list heads (a word each), a two-word bitmap of the
//   classes whose lists are not empty (as ptmalloc's binmap: a search for a
//   larger class reads it, not every head), 8 bytes of padding, then the
//   blocks, then an epilogue header of size 0 (allocated) at the break.
//
//   block   [header: size | prev-allocated bit | allocated bit] payload ...
//   free    [header] [next free] [prev free] ... [footer: size]
//
// A payload is 16-byte aligned, so a block starts 8 bytes before a multiple
// of 16 and its size is a multiple of 16, at least 32. An allocated block has
// no footer: its successor's prev-allocated bit says it is in use, and only
// a free block's footer is ever read (to coalesce backwards).
//
// Classes: exact sizes 32 .. 528 in steps of 16, then powers of two. malloc
// takes the best fit in the request's own class and the first block of a
// larger one, and splits off the rest. (Placing large blocks at the end of a
// free block, to keep small and large apart, was tried: it lowered the
// utilization of every trace with large blocks, realloc 0.761 to 0.723.)
// free coalesces at once, both ways. realloc grows in place into a free successor
// or by sbrk at the end of the heap before it moves a block.
#include "labs/5-malloc/mm.h"

namespace lab5 {

namespace {

constexpr uint64_t kAlloc = 1, kPrevAlloc = 2;
constexpr uint64_t kMinBlock = 32;
constexpr uint64_t kExact = 32;             // classes 0..31: 32, 48, .. 528 bytes
constexpr uint64_t kClasses = kExact + 34;  // then [2^10, 2^11) .. [2^43, ..)

Memory* mem = nullptr;
uint64_t heads = 0;  // the list heads' address; the bitmap follows them
uint64_t binmap() {
  return heads + 8 * kClasses;
}

void mark_class(uint64_t c, bool nonempty) {
  const uint64_t a = binmap() + 8 * (c / 64), bit = uint64_t{1} << (c % 64);
  const uint64_t w = mem->load(a);
  mem->store(a, nonempty ? w | bit : w & ~bit);
}

uint64_t word(uint64_t a) {
  return mem->load(a);
}
void put(uint64_t a, uint64_t v) {
  mem->store(a, v);
}

uint64_t header(uint64_t bp) {
  return word(bp - 8);
}
uint64_t size_of(uint64_t bp) {
  return header(bp) & ~uint64_t{15};
}
void set_header(uint64_t bp, uint64_t v) {
  put(bp - 8, v);
}
void set_footer(uint64_t bp, uint64_t size) {
  put(bp + size - 16, size);
}

uint64_t class_of(uint64_t size) {
  if (size <= 16 * (kExact + 1)) return size / 16 - 2;
  uint64_t c = kExact;
  for (uint64_t s = size >> 10; s > 1 && c + 1 < kClasses; s >>= 1) ++c;
  return c;
}

uint64_t round_up(uint64_t size) {
  const uint64_t a = (size + 8 + 15) & ~uint64_t{15};
  return a < kMinBlock ? kMinBlock : a;
}

void insert(uint64_t bp, uint64_t size) {
  const uint64_t c = class_of(size), head = heads + 8 * c;
  const uint64_t first = word(head);
  put(bp, first);
  put(bp + 8, 0);
  if (first) {
    put(first + 8, bp);
  } else {
    mark_class(c, true);
  }
  put(head, bp);
}

void unlink(uint64_t bp, uint64_t size) {
  const uint64_t next = word(bp), prev = word(bp + 8);
  if (prev) {
    put(prev, next);
  } else {
    const uint64_t c = class_of(size);
    put(heads + 8 * c, next);
    if (!next) mark_class(c, false);
  }
  if (next) put(next + 8, prev);
}

// Sets or clears the prev-allocated bit of the block at bp.
void mark_prev(uint64_t bp, bool allocated) {
  const uint64_t h = header(bp);
  set_header(bp, allocated ? h | kPrevAlloc : h & ~kPrevAlloc);
}

// Makes [bp, bp + size) a free block, merged with free neighbours, on its
// list. Its predecessor's state is bp's header's prev-allocated bit.
void release(uint64_t bp, uint64_t size) {
  uint64_t prev_bit = header(bp) & kPrevAlloc;
  const uint64_t next = bp + size;
  const uint64_t nh = header(next);
  if (!(nh & kAlloc)) {  // the block after it already says its predecessor is free
    unlink(next, nh & ~uint64_t{15});
    size += nh & ~uint64_t{15};
  } else {
    set_header(next, nh & ~kPrevAlloc);
  }
  if (!prev_bit) {
    const uint64_t prev_size = word(bp - 16);
    bp -= prev_size;
    unlink(bp, prev_size);
    size += prev_size;
    prev_bit = header(bp) & kPrevAlloc;
  }
  set_header(bp, size | prev_bit);
  set_footer(bp, size);
  insert(bp, size);
}

// Allocates `asize` bytes of the free block bp (already off its list),
// freeing what is left when it is a block's worth. The payload's address.
uint64_t place(uint64_t bp, uint64_t asize) {
  const uint64_t size = size_of(bp), prev_bit = header(bp) & kPrevAlloc;
  const uint64_t rest = size - asize;
  if (rest < kMinBlock) {
    set_header(bp, size | prev_bit | kAlloc);
    mark_prev(bp + size, true);
    return bp;
  }
  set_header(bp, asize | prev_bit | kAlloc);
  set_header(bp + asize, rest | kPrevAlloc);
  set_footer(bp + asize, rest);
  insert(bp + asize, rest);
  return bp;
}

uint64_t find_fit(uint64_t asize) {
  const uint64_t own = class_of(asize);
  uint64_t best = 0, best_size = ~uint64_t{0};
  for (uint64_t bp = word(heads + 8 * own); bp; bp = word(bp)) {
    const uint64_t s = size_of(bp);
    if (s >= asize && s < best_size) best = bp, best_size = s;
    if (s == asize) break;
  }
  if (best) return best;
  for (uint64_t c = own + 1; c < kClasses; c = (c | 63) + 1) {  // the bitmap, a word at a time
    const uint64_t above = word(binmap() + 8 * (c / 64)) >> (c % 64);
    if (above) return word(heads + 8 * (c + __builtin_ctzll(above)));
  }
  return 0;
}

// Grows the heap so the block at its end (free, or a new one) holds `asize`
// bytes; that block, off any list, or 0 when sbrk refuses.
uint64_t grow_for(uint64_t asize) {
  const uint64_t end = mem->heap_hi();  // the epilogue's payload address
  const uint64_t eh = header(end);
  uint64_t bp = end, have = 0;
  if (!(eh & kPrevAlloc)) {  // the last block is free: extend it
    have = word(end - 16);
    bp = end - have;
    unlink(bp, have);
  }
  if (!mem->sbrk(asize - have)) {
    if (have) insert(bp, have);
    return 0;
  }
  const uint64_t prev_bit = bp == end ? eh & kPrevAlloc : header(bp) & kPrevAlloc;
  set_header(bp, asize | prev_bit);
  set_header(bp + asize, kAlloc);  // the new epilogue
  return bp;
}

}  // namespace

bool mm_init(Memory& m) {
  mem = &m;
  heads = m.heap_lo();
  if (!m.sbrk(8 * kClasses + 16 + 16)) return false;
  for (uint64_t c = 0; c < kClasses + 2; ++c) put(heads + 8 * c, 0);
  set_header(m.heap_hi(), kAlloc | kPrevAlloc);  // the epilogue
  return true;
}

uint64_t mm_malloc(uint64_t size) {
  if (size > (uint64_t{1} << 40)) return 0;
  const uint64_t asize = round_up(size);
  if (const uint64_t bp = find_fit(asize)) {
    unlink(bp, size_of(bp));
    return place(bp, asize);
  }
  const uint64_t bp = grow_for(asize);
  return bp ? place(bp, asize) : 0;
}

void mm_free(uint64_t ptr) {
  if (ptr) release(ptr, size_of(ptr));
}

namespace {

// Shrinks the allocated block bp to asize, freeing the tail when it is a
// block's worth.
void shrink(uint64_t bp, uint64_t size, uint64_t asize) {
  if (size - asize < kMinBlock) return;
  set_header(bp, asize | (header(bp) & kPrevAlloc) | kAlloc);
  set_header(bp + asize, (size - asize) | kPrevAlloc | kAlloc);
  release(bp + asize, size - asize);
}

// Grows the allocated block bp in place to asize, into a free successor or
// the heap's end; false when it cannot.
bool grow_in_place(uint64_t bp, uint64_t size, uint64_t asize) {
  const uint64_t next = bp + size;
  uint64_t nh = header(next), have = size;
  if (!(nh & kAlloc)) {  // a free successor
    have += nh & ~uint64_t{15};
    if (have < asize && header(bp + have) != (kAlloc)) return false;  // not at the heap's end either
    unlink(next, nh & ~uint64_t{15});
    set_header(bp, have | (header(bp) & kPrevAlloc) | kAlloc);
    mark_prev(bp + have, true);
    nh = header(bp + have);
  } else if (nh != (kAlloc | kPrevAlloc)) {  // allocated, and not the epilogue
    return false;
  }
  if (have < asize) {  // at the end of the heap now: sbrk the difference
    if (!mem->sbrk(asize - have)) return false;
    set_header(bp, asize | (header(bp) & kPrevAlloc) | kAlloc);
    set_header(bp + asize, kAlloc | kPrevAlloc);
    return true;
  }
  shrink(bp, have, asize);
  return true;
}

}  // namespace

uint64_t mm_realloc(uint64_t ptr, uint64_t size) {
  if (!ptr) return mm_malloc(size);
  if (!size) {
    mm_free(ptr);
    return 0;
  }
  if (size > (uint64_t{1} << 40)) return 0;
  const uint64_t asize = round_up(size), old = size_of(ptr);
  if (asize <= old) {
    shrink(ptr, old, asize);
    return ptr;
  }
  if (grow_in_place(ptr, old, asize)) return ptr;
  const uint64_t p = mm_malloc(size);
  if (!p) return 0;
  for (uint64_t off = 0; off + 8 <= old - 8; off += 8) put(p + off, word(ptr + off));
  mm_free(ptr);
  return p;
}

}  // namespace lab5
