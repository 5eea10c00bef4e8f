#include <catch2/catch.hpp>

#include "model/host_memory.h"
#include "sw/address_space.h"

using namespace vmsim;

namespace {
struct Space {
  SparseStore store{uint64_t{8} << 20};
  HostMemory mem{store};
  PhysFrames frames{(uint64_t{8} << 20) >> kPageShift};
  AddressSpace as{Asid{1}, PageTable(mem, frames, PagingMode::kSv39)};
};
const Perms kRW{true, true, false, true};
}  // namespace

TEST_CASE("regions are found by any address inside them and refuse overlap", "[sw][regions]") {
  Space s;
  REQUIRE(s.as.add_region({"a", VirtAddr{0x10000}, 0x4000, kRW}));
  REQUIRE(s.as.add_region({"b", VirtAddr{0x20000}, 0x1000, kRW}));
  REQUIRE(s.as.find(VirtAddr{0x13fff})->name == "a");
  REQUIRE(s.as.find(VirtAddr{0x14000}) == nullptr);
  REQUIRE(s.as.find(VirtAddr{0x20000})->name == "b");
  REQUIRE_FALSE(s.as.add_region({"c", VirtAddr{0x13000}, 0x2000, kRW}));            // overlaps a
  REQUIRE_FALSE(s.as.add_region({"d", VirtAddr{0x1f000}, 0x2000, kRW}));            // overlaps b
  REQUIRE_FALSE(s.as.add_region({"e", VirtAddr{0x30001}, 0x1000, kRW}));            // unaligned
  REQUIRE_FALSE(s.as.add_region({"f", VirtAddr{uint64_t{1} << 40}, 0x1000, kRW}));  // non-canonical
}

TEST_CASE("page table maps, finds and unmaps leaves of each size", "[sw][pagetable]") {
  Space s;
  PageTable& t = s.as.table();
  REQUIRE(t.map(VirtAddr{0x5000}, Ppn{77}, pte::kR));
  REQUIRE(t.map(VirtAddr{0x200000}, Ppn{512}, pte::kR, 1));
  REQUIRE(t.find_leaf(VirtAddr{0x5fff})->level == 0);
  REQUIRE(pte::ppn(t.find_leaf(VirtAddr{0x5000})->entry) == Ppn{77});
  REQUIRE(t.find_leaf(VirtAddr{0x3fffff})->level == 1);
  REQUIRE_FALSE(t.map(VirtAddr{0x201000}, Ppn{9}, pte::kR));  // inside the superpage
  REQUIRE(t.unmap(VirtAddr{0x5000}));
  REQUIRE_FALSE(t.find_leaf(VirtAddr{0x5000}));
  REQUIRE(t.table_frames().size() == 3);  // root, one level-1 table, one level-0 table
}
