// Fuzz target: sequences of malloc API calls on vmsim's allocator
// (sw/malloc/ptmalloc.h) over host memory, checked against a simple model:
// a map from each live block's address to its size and contents.
//
// Per call, the model requires what C requires: a block 16-byte aligned (or
// at the memalign alignment), overlapping no live block, with usable_size at
// least what was asked, calloc's bytes zero, realloc keeping the old bytes up
// to the smaller size, and impossible requests answered with NULL. Contents
// are checked on sampled words (each block's first and last 256 bytes and one
// word per page), written when the block is handed out and compared when it
// is freed or resized. A sequence with a misuse in it (double free, interior
// pointer, a pointer malloc never returned) must end in the allocator's
// error, naming the call, and every later call must fail.
#include <map>
#include <vector>

#include "fuzz_input.h"
#include "fuzz_target.h"
#include "sw/malloc/ptmalloc.h"

using namespace vmsim;

namespace {

using Heap = Ptmalloc<NativeHeap>;

constexpr unsigned kSlots = 64;
constexpr unsigned kMaxCalls = 4000;
// The most payload live at once: the blocks are touched on every page, so
// this bounds the host memory one input uses (with ASan's shadow, under the
// fuzzer's 2 GiB limit).
constexpr uint64_t kLiveBudget = uint64_t{64} << 20;

struct Block {
  uint64_t addr = 0, size = 0, tag = 0;
};

uint64_t word_value(uint64_t tag, uint64_t off) {
  return (tag * 0x9e3779b97f4a7c15ULL) ^ (off * 0xff51afd7ed558ccdULL);
}

// The offsets whose words are written and checked: a bounded sample.
template <typename F>
void for_sampled_words(uint64_t size, F&& f) {
  const uint64_t words = size / 8;
  for (uint64_t w = 0; w < words; ++w) {
    const uint64_t off = w * 8;
    const bool head = off < 256, tail = off + 256 >= words * 8, page = off % 4096 == 0;
    if (head || tail || page) f(off);
    if (!head && !tail) w = std::max(w, std::min((off / 4096 + 1) * 512, (words * 8 - 256) / 8) - 1);
  }
}

class Model {
 public:
  explicit Model(Heap& h) : h_(h) {}

  void handed_out(unsigned slot, uint64_t p, uint64_t size, uint64_t align, bool zeroed) {
    FUZZ_EXPECT(p % align == 0, "block 0x%llx not %llu-aligned", ull(p), ull(align));
    FUZZ_EXPECT(h_.usable_size(p) >= size, "usable size %llu < %llu", ull(h_.usable_size(p)), ull(size));
    check_no_overlap(p, size);
    if (zeroed)
      for_sampled_words(size, [&](uint64_t off) { FUZZ_EXPECT(load(p + off) == 0, "calloc byte not zero"); });
    Block b{p, size, ++tags_};
    for_sampled_words(size, [&](uint64_t off) { store(p + off, word_value(b.tag, off)); });
    slots_[slot] = b;
    live_[p] = size;
    live_bytes_ += size;
  }
  // A size that keeps the live payload within the budget (impossible sizes
  // pass: they must fail, touching nothing).
  uint64_t within_budget(uint64_t size) const {
    return size > (uint64_t{1} << 40) || live_bytes_ + size <= kLiveBudget ? size : size % 4096;
  }
  // Checks the contents up to `upto` bytes and forgets the block.
  void check_and_drop(unsigned slot, uint64_t upto) {
    const Block& b = slots_[slot];
    check_contents(b.addr, b.tag, std::min(upto, b.size), b.size);
    forget(slot);
  }
  void check_contents(uint64_t p, uint64_t tag, uint64_t upto, uint64_t size) const {
    for_sampled_words(size, [&](uint64_t off) {
      if (off + 8 <= upto)
        FUZZ_EXPECT(load(p + off) == word_value(tag, off), "block 0x%llx lost its data at +%llu", ull(p),
                    ull(off));
    });
  }
  // Forgets the block without reading it (realloc moved or freed it).
  void forget(unsigned slot) {
    live_.erase(slots_[slot].addr);
    live_bytes_ -= slots_[slot].size;
    slots_[slot] = Block{};
  }
  const Block& slot(unsigned i) const { return slots_[i]; }
  bool is_live(uint64_t p) const { return live_.count(p) != 0; }
  const std::map<uint64_t, uint64_t>& live() const { return live_; }

 private:
  static unsigned long long ull(uint64_t v) { return v; }
  static uint64_t load(uint64_t a) { return *reinterpret_cast<const uint64_t*>(a); }
  static void store(uint64_t a, uint64_t v) { *reinterpret_cast<uint64_t*>(a) = v; }
  void check_no_overlap(uint64_t p, uint64_t size) const {
    auto next = live_.lower_bound(p);
    if (next != live_.end())
      FUZZ_EXPECT(p + std::max<uint64_t>(size, 1) <= next->first, "0x%llx overlaps 0x%llx", ull(p),
                  ull(next->first));
    if (next != live_.begin()) {
      auto prev = std::prev(next);
      FUZZ_EXPECT(prev->first + std::max<uint64_t>(prev->second, 1) <= p, "0x%llx overlaps 0x%llx", ull(p),
                  ull(prev->first));
    }
  }

  Heap& h_;
  Block slots_[kSlots];
  std::map<uint64_t, uint64_t> live_;
  uint64_t tags_ = 0;
  uint64_t live_bytes_ = 0;
};

uint64_t pick_size(fuzz::FuzzInput& in) {
  switch (in.u8() % 8) {
    case 0:
      return in.u8() % 33;  // tiny, zero included
    case 1:
    case 2:
    case 3:
      return in.u16() % 1100;  // tcache and small bins
    case 4:
      return in.u16();  // large bins
    case 5:
      return 100'000 + in.u32() % 300'000;  // around the mmap threshold
    case 6:
      return in.u32() % (uint64_t{4} << 20);  // mmapped
    default:
      return in.u64() | (uint64_t{1} << 62);  // impossible: NULL
  }
}

// One call; false once the sequence has made a misuse (the allocator must
// then have failed).
bool step(Heap& h, Model& m, fuzz::FuzzInput& in) {
  const unsigned op = in.u8() % 12, slot = in.u8() % kSlots;
  const Block b = m.slot(slot);
  // VMSIM_FUZZ_VERBOSE=1: each call's kind, slot and the block it holds, to read a finding.
  static const bool verbose = std::getenv("VMSIM_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "op %u slot %u block 0x%llx size %llu\n", op, slot, (unsigned long long)b.addr,
                 (unsigned long long)b.size);
  switch (op) {
    case 0:
    case 1:
    case 2:
    case 3: {  // malloc
      if (b.addr) m.check_and_drop(slot, b.size), h.free(b.addr);
      const uint64_t size = m.within_budget(pick_size(in));
      if (const uint64_t p = h.malloc(size))
        m.handed_out(slot, p, size, 16, false);
      else
        FUZZ_EXPECT(size > (uint64_t{1} << 40), "malloc(%llu) failed", (unsigned long long)size);
      return true;
    }
    case 4: {  // calloc
      if (b.addr) m.check_and_drop(slot, b.size), h.free(b.addr);
      const uint64_t n = in.u8(), size = m.within_budget(n * (pick_size(in) / 64)) / std::max<uint64_t>(n, 1);
      if (const uint64_t p = h.calloc(n, size)) m.handed_out(slot, p, n * size, 16, true);
      return true;
    }
    case 5: {  // memalign
      if (b.addr) m.check_and_drop(slot, b.size), h.free(b.addr);
      const uint64_t align = uint64_t{1} << (in.u8() % 17), size = m.within_budget(pick_size(in) % 70'000);
      if (const uint64_t p = h.memalign(align, size))
        m.handed_out(slot, p, size, std::max<uint64_t>(align, 16), false);
      else
        FUZZ_EXPECT(false, "memalign(%llu, %llu) failed", (unsigned long long)align,
                    (unsigned long long)size);
      return true;
    }
    case 6:
    case 7:
    case 8:  // free (free(NULL) is a no-op)
      if (b.addr) m.check_and_drop(slot, b.size);
      h.free(b.addr);
      return true;
    case 9: {  // realloc: realloc(NULL, n) is malloc(n); realloc(p, 0) frees p
      const uint64_t size = m.within_budget(pick_size(in));
      const uint64_t p = h.realloc(b.addr, size);
      if (!p && size) {
        FUZZ_EXPECT(size > (uint64_t{1} << 40), "realloc to %llu failed", (unsigned long long)size);
        return true;  // the old block stays as it was
      }
      m.forget(slot);
      if (!p) return true;
      // The old bytes must have moved with the block: check them there.
      if (b.addr) m.check_contents(p, b.tag, std::min(size, b.size), b.size);
      m.handed_out(slot, p, size, 16, false);
      return true;
    }
    case 10:  // housekeeping: trim, mallinfo2
      h.trim(in.u16());
      (void)h.mallinfo2();
      return true;
    default: {  // a misuse: a pointer that is not a live block's
      uint64_t bad = b.addr ? b.addr + 16 * (1 + in.u8() % 4) : 0x1000 + 16 * in.u16();
      if (m.is_live(bad)) return true;  // another block's start: not a misuse
      h.free(bad);
      FUZZ_EXPECT(h.error().has_value(), "free(0x%llx) of no block was not caught", (unsigned long long)bad);
      FUZZ_EXPECT(h.malloc(16) == 0, "a call after a misuse succeeded");
      return false;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  NativeHeap mem;
  Heap h(mem);
  Model m(h);
  for (unsigned calls = 0; !in.empty() && calls < kMaxCalls; ++calls) {
    if (!step(h, m, in)) return 0;
    FUZZ_EXPECT(!h.error(), "allocator error on a valid sequence: %s at 0x%llx: %s", h.error()->call.c_str(),
                (unsigned long long)h.error()->address, h.error()->what.c_str());
  }
  for (unsigned s = 0; s < kSlots; ++s) {
    const Block b = m.slot(s);
    if (b.addr) m.check_and_drop(s, b.size), h.free(b.addr);
  }
  FUZZ_EXPECT(!h.error(), "allocator error freeing the rest: %s", h.error()->what.c_str());
  return 0;
}
