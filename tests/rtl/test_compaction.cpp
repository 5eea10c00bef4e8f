// Physical memory over the RTL MMU: the buddy allocator under a running
// kernel, and compaction freeing a superpage's block.
#include <catch2/catch.hpp>
#include <map>

#include "support/kernel_fixture.h"
#include "sw/kernel/guest_runtime.h"

using namespace vmsim;

using test::kBase;
using test::Kernel;
using test::kRW;

namespace {

constexpr uint64_t kSuperFrames = 512;  // a 2 MiB leaf in Sv39
constexpr unsigned kSuperOrder = 9;

uint64_t frame_of(Kernel& k, uint64_t va) {
  auto slot = k.rt.space().table().find_leaf(VirtAddr{va});
  REQUIRE(slot);
  return pte::ppn(slot->entry).value();
}

// True when some aligned 2 MiB run of frames is wholly free in the bitmap.
bool bitmap_has_free_superpage(Kernel& k) {
  const FrameBitmap& bits = k.rt.frames().bitmap();
  for (uint64_t s = 0; s + kSuperFrames <= bits.total(); s += kSuperFrames) {
    bool free = true;
    for (uint64_t f = s; f < s + kSuperFrames && free; ++f) free = !bits.in_use(Ppn{f});
    if (free) return true;
  }
  return false;
}

}  // namespace

TEST_CASE(
    "compaction moves pages out of a 2 MiB range so a superpage region can be mapped, keeping data and a "
    "clean audit",
    "[mm][compaction]") {
  Kernel k({}, 1024);  // 4 MiB: two 2 MiB ranges
  constexpr uint64_t kPages = 800;
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, kPages * kPageSize, kRW}));
  for (uint64_t i = 0; i < kPages; ++i) k.write(kBase + i * kPageSize, 0x5EED0000 + i);
  // Keep every 4th page: both ranges hold some, so neither is free, and
  // there is room outside either for what the other holds.
  std::map<uint64_t, uint64_t> kept;  // va -> value
  for (uint64_t i = 0; i < kPages; ++i) {
    const uint64_t va = kBase + i * kPageSize;
    if (i % 4 != 0)
      REQUIRE(k.rt.munmap(VirtAddr{va}, kPageSize));
    else
      kept[va] = 0x5EED0000 + i;
  }
  std::map<uint64_t, uint64_t> frame_before;  // va -> frame
  for (auto [va, v] : kept) frame_before[va] = frame_of(k, va);
  REQUIRE_FALSE(bitmap_has_free_superpage(k));
  REQUIRE(k.rt.frames().buddy().largest_free_order() < int(kSuperOrder));

  const uint64_t huge_va = 0x4000'0000;
  REQUIRE(k.rt.add_eager_region({"huge", VirtAddr{huge_va}, kSuperFrames * kPageSize, kRW}, 1));
  const uint64_t base = frame_of(k, huge_va);  // the block compaction freed
  REQUIRE(base % kSuperFrames == 0);
  uint64_t were_inside = 0;
  for (auto [va, f] : frame_before) were_inside += f >= base && f < base + kSuperFrames;
  CHECK(k.rt.stats().compactions == 1);
  CHECK(k.rt.stats().pages_migrated == were_inside);
  CHECK(were_inside > 0);
  k.write(huge_va + 12345 * 8, 77);
  CHECK(k.read(huge_va + 12345 * 8) == 77);
  for (auto [va, v] : kept) {
    const uint64_t f = frame_of(k, va);
    REQUIRE((f < base || f >= base + kSuperFrames));  // moved out of the superpage's block
    REQUIRE(k.read(va) == v);
  }
  const AuditReport audit = k.rt.audit();
  INFO((audit.problems.empty() ? std::string() : audit.problems[0]));
  REQUIRE(audit.clean());
}

TEST_CASE("compaction refuses a range holding page tables, and the superpage request fails cleanly",
          "[mm][compaction]") {
  Kernel k({}, 512);  // one 2 MiB range only, and the page tables live in it
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, 8 * kPageSize, kRW}));
  k.write(kBase, 1);
  REQUIRE_FALSE(k.rt.add_eager_region({"huge", VirtAddr{0x4000'0000}, kSuperFrames * kPageSize, kRW}, 1));
  CHECK(k.rt.stats().pages_migrated == 0);
  REQUIRE(k.read(kBase) == 1);
}
