// NUMA nodes over the RTL MMU: each node's frames, watermarks, reclaim lists
// and kswapd are its own; local and interleave policies place frames.
#include <catch2/catch.hpp>

#include "support/kernel_fixture.h"
#include "sw/kernel/guest_runtime.h"

using namespace vmsim;

using test::kBase;
using test::Kernel;
using test::kRW;
using test::require_clean_audit;
using test::StubKswapd;

namespace {

RuntimeConfig numa(unsigned nodes, NumaPolicy policy = NumaPolicy::kLocal) {
  RuntimeConfig cfg;
  cfg.nodes = nodes;
  cfg.numa_policy = policy;
  return cfg;
}

void touch(Kernel& k, uint64_t base, uint64_t pages, uint64_t tag) {
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{base}, pages * kPageSize, kRW}));
  for (uint64_t i = 0; i < pages; ++i) k.write(base + i * kPageSize, tag + i);
}

void check(Kernel& k, uint64_t base, uint64_t pages, uint64_t tag) {
  for (uint64_t i = 0; i < pages; ++i) {
    INFO("page " << i);
    REQUIRE(k.read(base + i * kPageSize) == tag + i);
  }
}

}  // namespace

TEST_CASE("numa: the local policy takes each process's frames from its own node", "[mm][numa]") {
  Kernel k(numa(2), 4096);
  Process& first = k.rt.current();  // pid 1: node 0
  Process& second = k.rt.create_process("second");
  CHECK(first.home_node == 0);
  CHECK(second.home_node == 1);
  touch(k, kBase, 300, 0);
  k.rt.switch_to(second);
  touch(k, kBase, 200, 1000);
  CHECK(k.rt.user_frames_on_node(0) == 300);
  CHECK(k.rt.user_frames_on_node(1) == 200);
  CHECK(k.rt.stats().nodes[0].fallbacks + k.rt.stats().nodes[1].fallbacks == 0);
  check(k, kBase, 200, 1000);
  k.rt.switch_to(first);
  check(k, kBase, 300, 0);
  require_clean_audit(k);
}

TEST_CASE("numa: the interleave policy spreads a process's frames over every node in turn", "[mm][numa]") {
  Kernel k(numa(4, NumaPolicy::kInterleave), 8192);
  touch(k, kBase, 401, 7);
  for (unsigned n = 0; n < 4; ++n) {
    INFO("node " << n);
    CHECK(k.rt.user_frames_on_node(n) == (n == 0 ? 101u : 100u));
  }
  check(k, kBase, 401, 7);
  require_clean_audit(k);
}

TEST_CASE("numa: a node's watermarks wake its own kswapd, which reclaims from that node alone",
          "[mm][numa]") {
  StubKswapd kswapd;
  Kernel k(numa(2), 2048, 4096, &kswapd);  // two nodes of 1024 frames
  const Watermarks wm = k.rt.watermarks(0);
  // Node 0's process fills node 0 until it is at its min watermark; the
  // rest of its pages come from node 1 (the fallback), which stays above low.
  touch(k, kBase, 1100, 0);
  CHECK(kswapd.wakes_by_node[0] >= 1);
  CHECK(kswapd.wakes_by_node[1] == 0);
  CHECK(k.rt.frames().free_count(0) <= wm.low);
  CHECK(k.rt.stats().nodes[1].fallbacks > 0);
  const uint64_t on_node1 = k.rt.user_frames_on_node(1);
  k.rt.background_reclaim(0);  // kswapd0's work
  CHECK(k.rt.frames().free_count(0) >= wm.high);
  CHECK(k.rt.stats().nodes[0].reclaimed_background > 0);
  CHECK(k.rt.stats().nodes[0].kswapd_wakeups == 1);
  CHECK(k.rt.user_frames_on_node(1) == on_node1);  // node 1's pages were not touched
  CHECK(k.rt.stats().nodes[1].reclaimed_background + k.rt.stats().nodes[1].reclaimed_direct == 0);
  CHECK(k.rt.stats().nodes[1].kswapd_wakeups == 0);
  check(k, kBase, 1100, 0);
  require_clean_audit(k);
}

TEST_CASE("numa: two nodes under memory pressure swap and reclaim per node and lose nothing", "[mm][numa]") {
  const NumaPolicy policy = GENERATE(NumaPolicy::kLocal, NumaPolicy::kInterleave);
  Kernel k(numa(2, policy), 2048, 8192);
  Process& a = k.rt.current();
  Process& b = k.rt.create_process("b");
  touch(k, kBase, 1500, 0);
  k.rt.switch_to(b);
  touch(k, kBase, 1500, 50000);
  for (int round = 0; round < 2; ++round) {
    k.rt.switch_to(a);
    check(k, kBase, 1500, 0);
    k.rt.switch_to(b);
    check(k, kBase, 1500, 50000);
  }
  CHECK(k.rt.stats().swap_outs > 0);
  CHECK(k.rt.stats().nodes[0].reclaimed_direct + k.rt.stats().nodes[0].reclaimed_background > 0);
  CHECK(k.rt.stats().nodes[1].reclaimed_direct + k.rt.stats().nodes[1].reclaimed_background > 0);
  require_clean_audit(k);
}
