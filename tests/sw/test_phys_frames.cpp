#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "sw/phys_frames.h"

using namespace vmsim;

TEST_CASE("physical frames: every frame is handed out once, then exhaustion is reported", "[sw][frames]") {
  PhysFrames b(130);  // not a power of two: blocks of 128 and 2
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
  REQUIRE(b.check().empty());
}

TEST_CASE("physical frames: a freed frame is reused, and double free and unknown frames are refused",
          "[sw][frames]") {
  PhysFrames b(64);
  auto p = b.alloc();
  REQUIRE(b.free(*p));
  REQUIRE_FALSE(b.free(*p));
  REQUIRE_FALSE(b.free(Ppn{1000}));
  REQUIRE(b.used() == 0);
  for (int i = 0; i < 64; ++i) b.alloc();
  REQUIRE(b.free(Ppn{17}));
  REQUIRE(b.alloc() == Ppn{17});
  REQUIRE(b.check().empty());
}

TEST_CASE("physical frames: a block is aligned to its size and avoids a reserved frame", "[sw][frames]") {
  PhysFrames b(4096);
  REQUIRE(b.reserve(Ppn{3}));
  REQUIRE_FALSE(b.reserve(Ppn{3}));
  auto run = b.alloc_block(9);
  REQUIRE(run);
  REQUIRE(run->value() % 512 == 0);
  REQUIRE(run->value() != 0);  // frame 3 is in the first 512
  REQUIRE(b.used() == 513);
  REQUIRE_FALSE(b.alloc_block(13));
  REQUIRE(b.check().empty());
}

TEST_CASE("buddy allocator: splitting one frame off a block leaves one free block per order below it",
          "[sw][frames][buddy]") {
  BuddyAllocator buddy(1024);
  REQUIRE(buddy.max_order() == 10);
  REQUIRE(buddy.free_blocks(10) == 1);
  REQUIRE(buddy.alloc(0) == Ppn{0});
  for (unsigned k = 0; k < 10; ++k) REQUIRE(buddy.free_blocks(k) == 1);
  REQUIRE(buddy.free_blocks(10) == 0);
  buddy.free(Ppn{0}, 0);  // merges all the way back up
  REQUIRE(buddy.free_blocks(10) == 1);
  REQUIRE(buddy.free_frames() == 1024);
}

TEST_CASE("buddy allocator: random allocation and freeing keep the free lists equal to the bitmap",
          "[sw][frames][buddy]") {
  PhysFrames frames(3000);  // 2048 + 512 + 256 + 128 + 32 + 16 + 8
  std::mt19937_64 rng(7);
  std::map<uint64_t, unsigned> blocks;  // start -> order, the model
  for (int step = 0; step < 20000; ++step) {
    if (!blocks.empty() && rng() % 2) {
      auto it = blocks.begin();
      std::advance(it, rng() % blocks.size());
      // A block goes back frame by frame, in a random order: it reforms on the last one.
      std::vector<uint64_t> fs;
      for (uint64_t f = it->first; f < it->first + (uint64_t{1} << it->second); ++f) fs.push_back(f);
      std::shuffle(fs.begin(), fs.end(), rng);
      for (uint64_t f : fs) REQUIRE(frames.free(Ppn{f}));
      blocks.erase(it);
    } else {
      const unsigned order = rng() % 4 == 0 ? unsigned(rng() % 7) : 0;
      const uint64_t used_before = frames.used();
      if (auto p = frames.alloc_block(order)) {
        REQUIRE(p->value() % (uint64_t{1} << order) == 0);
        REQUIRE(frames.used() == used_before + (uint64_t{1} << order));
        blocks[p->value()] = order;
      }
    }
    if (step % 500 == 0) REQUIRE(frames.check(3) == std::vector<std::string>{});
  }
  REQUIRE(frames.buddy().free_frames() == frames.free_count());
  for (auto [start, order] : blocks) {
    for (uint64_t f = start; f < start + (uint64_t{1} << order); ++f) frames.free(Ppn{f});
  }
  REQUIRE(frames.check().empty());
  REQUIRE(frames.buddy().free_blocks(11) == 1);  // everything merged back to the first layout
  REQUIRE(frames.buddy().free_blocks(9) == 1);
  REQUIRE(frames.buddy().free_blocks(0) == 0);
}

TEST_CASE("buddy allocator: the check finds free lists that disagree with the bitmap",
          "[sw][frames][buddy]") {
  BuddyAllocator buddy(64);
  FrameBitmap bits(64);
  REQUIRE(buddy.check(bits).empty());
  bits.mark_used(Ppn{5});  // used in the record, still on a free list
  auto problems = buddy.check(bits);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "buddy: frame 5 is used in the bitmap but on a free list");
  bits.mark_free(Ppn{5});
  REQUIRE(buddy.alloc(0) == Ppn{0});  // allocated, but the record says free
  problems = buddy.check(bits);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "buddy: frame 0 is free in the bitmap but on no free list");
  buddy.free(Ppn{0}, 0);
  buddy.free(Ppn{0}, 0);  // a double free: frame 0 now in two blocks
  REQUIRE_FALSE(buddy.check(bits).empty());
}

TEST_CASE("buddy allocator: unmovable frames gather in the pageblocks they claim, movable ones stay out",
          "[sw][frames][buddy]") {
  PhysFrames frames(4096);  // 8 pageblocks of 512 frames
  std::vector<Ppn> tables, pages;
  for (int i = 0; i < 40; ++i) {
    for (int j = 0; j < 50; ++j) pages.push_back(*frames.alloc());
    tables.push_back(*frames.alloc_unmovable());
  }
  for (Ppn t : tables) CHECK(t.value() / 512 == tables[0].value() / 512);  // one pageblock holds them all
  CHECK(frames.buddy().pageblock_kind(tables[0]) == Mobility::kUnmovable);
  for (Ppn p : pages) CHECK(frames.buddy().pageblock_kind(p) == Mobility::kMovable);
  REQUIRE(frames.check().empty());
  for (Ppn t : tables) frames.free(t);  // the pageblock is whole again: anyone's
  CHECK(frames.buddy().pageblock_kind(tables[0]) == Mobility::kMovable);
  REQUIRE(frames.check().empty());
}

TEST_CASE("phys frames: NUMA nodes are whole pageblocks, each with its own buddy allocator",
          "[frames][numa]") {
  PhysFrames frames(3 * 2048 + 700, 3);  // 2048 frames a node, the last with the 700 left over
  REQUIRE(frames.nodes() == 3);
  CHECK(frames.buddy(0).frames() == 2048);
  CHECK(frames.buddy(2).frames() == 2048 + 700);
  CHECK(frames.buddy(1).base() == 2048);
  CHECK(frames.node_of(Ppn{2047}) == 0);
  CHECK(frames.node_of(Ppn{2048}) == 1);
  CHECK(frames.node_of(Ppn{3 * 2048 + 699}) == 2);
  // A block from a node lies in it, aligned to its size in absolute frame numbers.
  for (unsigned n = 0; n < 3; ++n) {
    const auto block = frames.alloc_block(9, Mobility::kMovable, n);
    REQUIRE(block);
    CHECK(frames.node_of(*block) == n);
    CHECK(block->value() % 512 == 0);
  }
  // A node runs out on its own; the others still give frames, and with no
  // node asked for, the first that has one does.
  std::vector<Ppn> taken;
  while (auto f = frames.alloc(1u)) taken.push_back(*f);
  CHECK(taken.size() == 2048 - 512);
  CHECK(frames.free_count(1) == 0);
  CHECK(frames.alloc(0u));
  CHECK(frames.check().empty());
  for (Ppn f : taken) REQUIRE(frames.free(f));
  CHECK(frames.free_count(1) == 2048 - 512);
  CHECK(frames.check().empty());
  CHECK_THROWS_WITH(PhysFrames(1000, 2), "2 NUMA nodes need at least 1024 frames (2 MiB each), not 1000");
}
