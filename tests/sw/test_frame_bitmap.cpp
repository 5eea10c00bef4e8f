#include <catch2/catch.hpp>

#include "sw/frame_bitmap.h"

using namespace vmsim;

TEST_CASE("frame bitmap hands out every frame once, then reports exhaustion", "[sw][frames]") {
  FrameBitmap b(130);  // not a multiple of 64: the tail bits must never be returned
  std::vector<bool> seen(130, false);
  for (int i = 0; i < 130; ++i) {
    auto p = b.alloc();
    REQUIRE(p);
    REQUIRE(p->value() < 130);
    REQUIRE_FALSE(seen[p->value()]);
    seen[p->value()] = true;
  }
  REQUIRE_FALSE(b.alloc());
  REQUIRE(b.free_count() == 0);
}

TEST_CASE("freed frames are reused - double free and unknown frames are refused", "[sw][frames]") {
  FrameBitmap b(64);
  auto p = b.alloc();
  REQUIRE(b.free(*p));
  REQUIRE_FALSE(b.free(*p));
  REQUIRE_FALSE(b.free(Ppn{1000}));
  REQUIRE(b.used() == 0);
  for (int i = 0; i < 64; ++i) b.alloc();
  REQUIRE(b.free(Ppn{17}));
  REQUIRE(b.alloc() == Ppn{17});
}

TEST_CASE("contiguous allocation is aligned and skips used frames", "[sw][frames]") {
  FrameBitmap b(4096);
  REQUIRE(b.reserve(Ppn{3}));
  auto run = b.alloc_contiguous(512, 512);
  REQUIRE(run);
  REQUIRE(run->value() % 512 == 0);
  REQUIRE(run->value() != 0);  // frame 3 is in the first run
  REQUIRE(b.used() == 513);
  REQUIRE_FALSE(b.alloc_contiguous(8192, 1));
}
