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
  Kernel k({}, 1024);  // 4 MiB: two 2 MiB ranges; the first holds the page tables
  constexpr uint64_t kPages = 800;
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, kPages * kPageSize, kRW}));
  // The two leaf tables first, so they sit low: a page table cannot move.
  k.write(kBase, 0x5EED0000);
  k.write(kBase + 512 * kPageSize, 0x5EED0000 + 512);
  for (uint64_t i = 0; i < kPages; ++i) k.write(kBase + i * kPageSize, 0x5EED0000 + i);
  // Free most pages in the upper range, keep every 16th: it is no longer free.
  // Free every 4th page below it: room for what is left above.
  std::map<uint64_t, uint64_t> kept;  // va -> value
  for (uint64_t i = 0; i < kPages; ++i) {
    const uint64_t va = kBase + i * kPageSize;
    const bool upper = frame_of(k, va) >= kSuperFrames;
    if ((upper && i % 16 != 0) || (!upper && i % 4 == 1)) {
      REQUIRE(k.rt.munmap(VirtAddr{va}, kPageSize));
    } else {
      kept[va] = 0x5EED0000 + i;
    }
  }
  uint64_t in_upper = 0;
  for (auto [va, v] : kept) in_upper += frame_of(k, va) >= kSuperFrames;
  REQUIRE(in_upper > 0);
  REQUIRE_FALSE(bitmap_has_free_superpage(k));
  REQUIRE(k.rt.frames().buddy().largest_free_order() < int(kSuperOrder));

  const uint64_t huge_va = 0x4000'0000;
  INFO("free " << k.rt.frames().free_count() << " user " << k.rt.user_frames_in_use() << " in_upper "
               << in_upper << " kept " << kept.size());
  const bool ok = k.rt.add_eager_region({"huge", VirtAddr{huge_va}, kSuperFrames * kPageSize, kRW}, 1);
  INFO("compactions " << k.rt.stats().compactions << " moved " << k.rt.stats().pages_migrated << " largest "
                      << k.rt.frames().buddy().largest_free_order());
  REQUIRE(ok);
  CHECK(k.rt.stats().compactions == 1);
  CHECK(k.rt.stats().pages_migrated == in_upper);
  k.write(huge_va + 12345 * 8, 77);
  CHECK(k.read(huge_va + 12345 * 8) == 77);
  for (auto [va, v] : kept) {
    REQUIRE(frame_of(k, va) < kSuperFrames);  // moved below the superpage (or never in its range)
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
