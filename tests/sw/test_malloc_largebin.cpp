// The large bins' skip lists (fd_nextsize, bk_nextsize), tested on the Bins
// class alone over a buffer of host memory, against a model that knows only
// glibc's ordering rule (sizes largest first; a chunk of a size already
// there goes second among them) and keeps the bin as a plain vector. Then,
// through the API, what a guest that overwrites the links gets.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <vector>

#include "sw/malloc/bins.h"
#include "sw/malloc/ptmalloc.h"

using namespace vmsim;
using namespace vmsim::pm;

namespace {

// Host memory that counts its loads: what a walk costs in guest mode.
struct CountingMem {
  uint64_t loads = 0;
  uint64_t load(uint64_t addr) {
    ++loads;
    uint64_t v;
    std::memcpy(&v, reinterpret_cast<const void*>(addr), 8);
    return v;
  }
  void store(uint64_t addr, uint64_t v) { std::memcpy(reinterpret_cast<void*>(addr), &v, 8); }
  bool failed() const { return false; }
};

// A heap buffer of fixed slots, each big enough for the largest chunk, and
// the bins' headers in front: chunks are written by hand, as free would
// leave them (head, footer), then handed to the bins.
struct BinsBench {
  static constexpr uint64_t kSlot = 64 * 1024;
  std::vector<uint64_t> buf;
  CountingMem mem;
  ChunkFields<CountingMem> c{mem};
  HeapRange heap;
  Bins<CountingMem> bins{c};
  uint64_t steps() const { return (heap.end - heap.start) / kMinLargeSize + 2; }

  explicit BinsBench(unsigned slots) : buf((kNBins * 16 + 64 + slots * kSlot) / 8, 0) {
    const uint64_t base = (reinterpret_cast<uint64_t>(buf.data()) + 15) & ~uint64_t{15};
    bins.init(base);
    heap = {base, base + kNBins * 16 + slots * kSlot};
  }
  Chunk slot(unsigned i) const { return Chunk{heap.start + kNBins * 16 + i * kSlot}; }
  // Chunk i, of sz bytes, free: its head and the footer unlink checks.
  Chunk make(unsigned i, uint64_t sz) {
    const Chunk p = slot(i);
    c.set_head(p, sz | kPrevInUse);
    c.set_foot(p, sz);
    // Garbage where the links go, as a freed payload holds.
    for (uint64_t off = 16; off < 48; off += 8) mem.store(p.value() + off, 0x5a5a5a5a5a5a5a50);
    return p;
  }
  // The bin's chunks in fd order.
  std::vector<Chunk> list(unsigned idx) {
    std::vector<Chunk> out;
    const Chunk bin = bins.bin_at(idx);
    for (Chunk p = c.fd(bin); p != bin; p = c.fd(p)) out.push_back(p);
    return out;
  }
};

// glibc's rule, on a vector: before the first chunk no larger, or second
// among chunks of the same size.
void model_insert(std::vector<std::pair<Chunk, uint64_t>>& m, Chunk p, uint64_t sz) {
  auto it = std::find_if(m.begin(), m.end(), [&](const auto& e) { return e.second <= sz; });
  if (it != m.end() && it->second == sz) ++it;
  m.insert(it, {p, sz});
}

// The skip list must link the first chunk of each size, in size order both
// ways and round; every other chunk holds zero in fd_nextsize.
void require_skip_list(BinsBench& b, const std::vector<std::pair<Chunk, uint64_t>>& m) {
  std::vector<Chunk> heads;
  for (size_t i = 0; i < m.size(); ++i) {
    if (i == 0 || m[i].second != m[i - 1].second) {
      heads.push_back(m[i].first);
    } else {
      REQUIRE_FALSE(b.c.fd_nextsize(m[i].first));
    }
  }
  for (size_t i = 0; i < heads.size(); ++i) {
    REQUIRE(b.c.fd_nextsize(heads[i]) == heads[(i + 1) % heads.size()]);
    REQUIRE(b.c.bk_nextsize(heads[(i + 1) % heads.size()]) == heads[i]);
  }
}

}  // namespace

TEST_CASE("a large bin stays sorted as glibc sorts it, its skip list linking the first chunk of each size",
          "[malloc][largebin]") {
  constexpr unsigned kSlots = 160;
  BinsBench b(kSlots);
  // Sizes 32 KiB .. 36 KiB - 1 all go to one large bin.
  const unsigned idx = largebin_index(32768);
  REQUIRE(largebin_index(32768 + 16 * 255) == idx);
  std::mt19937_64 rng(3);
  std::vector<std::pair<Chunk, uint64_t>> model;
  std::vector<unsigned> free_slots;
  for (unsigned i = 0; i < kSlots; ++i) free_slots.push_back(i);
  for (int step = 0; step < 4000; ++step) {
    const bool insert = model.empty() || (free_slots.size() > 0 && rng() % 100 < 55);
    if (insert) {
      const unsigned at = unsigned(rng() % free_slots.size()), slot = free_slots[at];
      free_slots.erase(free_slots.begin() + at);
      const uint64_t sz = 32768 + 16 * (rng() % 8) * 32;  // 8 sizes: long runs of each
      const Chunk p = b.make(slot, sz);
      REQUIRE(b.bins.insert_sorted(p, sz, b.steps()) == nullptr);
      model_insert(model, p, sz);
    } else {
      const size_t at = rng() % model.size();
      REQUIRE(b.bins.unlink(model[at].first) == nullptr);
      free_slots.push_back(unsigned((model[at].first - b.slot(0)) / BinsBench::kSlot));
      model.erase(model.begin() + long(at));
    }
    std::vector<Chunk> want;
    for (const auto& e : model) want.push_back(e.first);
    REQUIRE(b.list(idx) == want);
    require_skip_list(b, model);
    // Best fit: the first chunk of the smallest size that holds nb.
    const uint64_t nb = 32768 + 16 * (rng() % 240);
    const char* err = nullptr;
    const Chunk got = b.bins.smallest_fit(idx, nb, b.steps(), err);
    REQUIRE(err == nullptr);
    auto fit = std::find_if(model.rbegin(), model.rend(), [&](const auto& e) { return e.second >= nb; });
    if (fit == model.rend()) {
      REQUIRE(got == b.bins.bin_at(idx));
    } else {
      const uint64_t best = fit->second;
      auto first = std::find_if(model.begin(), model.end(), [&](const auto& e) { return e.second == best; });
      REQUIRE(got == first->first);
    }
  }
}

TEST_CASE("a large bin holding thousands of chunks of a few sizes is searched and filled in a few steps",
          "[malloc][largebin]") {
  // Without the skip list each step walked every chunk of the smaller sizes
  // (a trace freeing 20,000 blocks of 1.5 KiB ran 500 times slower than glibc).
  constexpr unsigned kChunks = 3000;
  BinsBench b(kChunks + 1);
  const unsigned idx = largebin_index(32768);
  for (unsigned i = 0; i < kChunks; ++i) {
    const uint64_t sz = 32768 + 16 * (i % 3);  // three sizes, 1,000 chunks each
    REQUIRE(b.bins.insert_sorted(b.make(i, sz), sz, b.steps()) == nullptr);
  }
  const char* err = nullptr;
  b.mem.loads = 0;
  const Chunk fit =
      b.bins.smallest_fit(idx, 32768 + 32, b.steps(), err);  // the largest size: past 2,000 smaller
  CHECK(b.mem.loads <= 8);
  REQUIRE(fit == b.slot(2));  // the first of that size: the first one sorted in
  b.mem.loads = 0;
  REQUIRE(b.bins.insert_sorted(b.make(kChunks, 32768 + 16), 32768 + 16, b.steps()) ==
          nullptr);  // the middle size
  CHECK(b.mem.loads <= 12);
  b.mem.loads = 0;
  REQUIRE(b.bins.unlink(fit) == nullptr);  // a run's first: the next of its size takes its links
  CHECK(b.mem.loads <= 12);
  // Each later chunk of a size went second, so the one after slot 2 is the
  // last of its size sorted in (slot 2999): it is the first now, linked on.
  REQUIRE(b.c.fd(b.bins.bin_at(idx)) == b.slot(2999));
  REQUIRE(b.c.fd_nextsize(b.slot(2999)) == b.slot(1));
  REQUIRE(b.c.bk_nextsize(b.slot(1)) == b.slot(2999));
  REQUIRE(err == nullptr);
}

TEST_CASE("an overwritten skip-list link is caught before it is followed, and a cycle ends the walk",
          "[malloc][largebin][misuse]") {
  for (const bool cycle : {false, true}) {
    NativeHeap mem;
    Ptmalloc<NativeHeap> a(mem);
    a.mallopt(MallOpt::kTcacheCount, 0);
    std::vector<uint64_t> blocks, guards;
    for (uint64_t n : {4700, 4800, 4900}) {  // chunks of 4720, 4816, 4912 bytes: one large bin
      blocks.push_back(a.malloc(n));
      guards.push_back(a.malloc(16));  // no coalescing
    }
    for (uint64_t p : blocks) a.free(p);
    a.malloc(20'000);  // sorts the three into their large bin
    REQUIRE_FALSE(a.error());
    // Use after free. Either the largest's fd_nextsize (payload + 16) points
    // elsewhere in the heap, and unlinking the best fit (4816) must see it;
    // or the smallest's bk_nextsize (payload + 24) points at itself, and the
    // walk up from it would never end.
    if (cycle) {
      mem.store(blocks[0] + 24, blocks[0] - 16);
    } else {
      mem.store(blocks[2] + 16, guards[0] - 16);
    }
    a.malloc(4750);
    REQUIRE(a.error());
    CHECK(a.error()->what.find("corrupted double-linked list") != std::string::npos);
  }
}
