// vmsim trace with --user-frames N --reclaim on-demand gives exactly the
// classic page-in and write-back counts. Expected values: the textbook
// figures for Silberschatz's string (FIFO 15, LRU 12, OPT 9 with 3 frames)
// and Belady's anomaly (FIFO 9 faults with 3 frames, 10 with 4); write-backs
// from scripts/paging_reference.py, an independent textbook simulator.
#include <catch2/catch.hpp>
#include <sstream>

#include "testbench/harness/simulation.h"
#include "testbench/workloads/trace_workload.h"

using namespace vmsim;

namespace {
// "7 0w 1 ...": pages, w marks a store.
std::shared_ptr<LackeyTrace> make_trace(const std::string& refs) {
  std::ostringstream lackey;
  std::istringstream in(refs);
  for (std::string t; in >> t;) {
    const bool write = t.back() == 'w';
    const uint64_t page = std::stoull(write ? t.substr(0, t.size() - 1) : t);
    lackey << (write ? " S " : " L ") << std::hex << (0x1000'0000 + page * kPageSize + 0x40) << ",8\n";
  }
  std::istringstream text(lackey.str());
  std::optional<TraceError> err;
  auto t = parse_lackey(text, "test", err);
  REQUIRE(t);
  return std::make_shared<LackeyTrace>(std::move(*t));
}

std::pair<uint64_t, uint64_t> replay(const std::string& policy, uint64_t frames, const std::string& refs) {
  SimConfig cfg;
  cfg.workload = std::make_shared<TraceWorkload>(make_trace(refs));
  cfg.mode = PagingMode::kSv48;
  cfg.svadu = true;
  cfg.mem_bytes = uint64_t{16} << 20;
  cfg.swap_slots = 64;
  cfg.policy = policy;
  cfg.reclaim = ReclaimMode::kOnDemand;
  cfg.user_frames = frames;
  const SimOutcome out = run_plain(cfg);
  INFO(out.error << out.report.workload.first_error);
  REQUIRE(out.report.passed());
  return {out.report.runtime.faults.minor + out.report.runtime.faults.major, out.report.runtime.swap_outs};
}

const std::string kSilberschatz = "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1";
const std::string kSilberschatzWrites = "7w 0 1w 2 0w 3 0 4w 2 3 0w 3 2 1 2w 0 1 7w 0 1";
const std::string kBelady = "1 2 3 4 1 2 5 1 2 3 4 5";
const std::string kBeladyWrites = "1w 2 3w 4 1 2w 5 1 2 3w 4 5w";
using Counts = std::pair<uint64_t, uint64_t>;
}  // namespace

TEST_CASE("trace replay gives the textbook FIFO counts including Belady's anomaly", "[trace][policy]") {
  REQUIRE(replay("fifo", 3, kSilberschatz) == Counts{15, 0});
  REQUIRE(replay("fifo", 3, kSilberschatzWrites) == Counts{15, 6});
  REQUIRE(replay("fifo", 4, kSilberschatzWrites) == Counts{10, 4});
  REQUIRE(replay("fifo", 3, kBelady) == Counts{9, 0});
  REQUIRE(replay("fifo", 4, kBelady) == Counts{10, 0});  // more frames, more faults
  REQUIRE(replay("fifo", 3, kBeladyWrites) == Counts{9, 3});
}

TEST_CASE("trace replay gives the textbook LRU counts", "[trace][policy]") {
  REQUIRE(replay("lru", 3, kSilberschatz) == Counts{12, 0});
  REQUIRE(replay("lru", 3, kSilberschatzWrites) == Counts{12, 6});
  REQUIRE(replay("lru", 4, kSilberschatzWrites) == Counts{8, 3});
  REQUIRE(replay("lru", 3, kBelady) == Counts{10, 0});
  REQUIRE(replay("lru", 4, kBelady) == Counts{8, 0});
}

TEST_CASE("trace replay gives OPT's optimum", "[trace][policy]") {
  REQUIRE(replay("opt", 3, kSilberschatz) == Counts{9, 0});
  REQUIRE(replay("opt", 3, kSilberschatzWrites) == Counts{9, 5});
  REQUIRE(replay("opt", 4, kSilberschatzWrites) == Counts{8, 3});
  REQUIRE(replay("opt", 3, kBelady) == Counts{7, 0});
  REQUIRE(replay("opt", 4, kBelady) == Counts{6, 0});
}

TEST_CASE("trace replay gives the textbook CLOCK counts", "[trace][policy]") {
  REQUIRE(replay("clock", 3, kSilberschatz) == Counts{14, 0});
  REQUIRE(replay("clock", 3, kSilberschatzWrites) == Counts{14, 6});
  REQUIRE(replay("clock", 4, kSilberschatzWrites) == Counts{9, 3});
  REQUIRE(replay("clock", 3, kBeladyWrites) == Counts{9, 3});
}

// The dueling policy's counts are scripts/paging_reference.py's, which models
// the rule in docs/runtime.md on its own (tests/cli/check_paging_oracle.py
// compares the two on many more strings).
TEST_CASE("trace replay gives the dueling policy's counts, and it beats LRU on a loop longer than memory",
          "[trace][policy]") {
  REQUIRE(replay("dueling", 3, kSilberschatz) == Counts{12, 0});  // LRU 12, OPT 9
  REQUIRE(replay("dueling", 3, kSilberschatzWrites) == Counts{12, 5});
  // LRU 8: one page-in lost to the order of two hits inside one interval,
  // which no A bit shows (docs/runtime.md, "It cannot be never-worse").
  REQUIRE(replay("dueling", 4, kSilberschatzWrites) == Counts{9, 3});
  REQUIRE(replay("dueling", 3, kBeladyWrites) == Counts{8, 3});  // LRU 10
  std::string loop;
  for (int i = 0; i < 50; ++i) loop += "0 1 2 3 ";
  REQUIRE(replay("lru", 3, loop) == Counts{200, 0});      // every reference faults
  REQUIRE(replay("dueling", 3, loop) == Counts{103, 0});  // LRU-2 takes the lead; OPT: 69
}

TEST_CASE("malformed lackey lines are reported with their line number", "[trace]") {
  for (const auto& [text, what] :
       std::vector<std::pair<std::string, std::string>>{{" L 1000,8\n X 2000,4\n", "t:2: expected"},
                                                        {" L 1000,8\n S zz,4\n", "t:2: address"},
                                                        {" L 1000\n", "t:1: expected ADDRESS,SIZE"},
                                                        {" L 1000,0\n", "t:1: size"}}) {
    std::istringstream in(text);
    std::optional<TraceError> err;
    REQUIRE_FALSE(parse_lackey(in, "t", err));
    INFO(err->message);
    REQUIRE(err->message.rfind(what, 0) == 0);
  }
  std::istringstream ok("==123== Lackey\nI  0400d7d4,8\n M 0421c7f0,4\r\n L 7ff000ffc,8\n");
  std::optional<TraceError> err;
  auto t = parse_lackey(ok, "t", err);
  REQUIRE(t);
  REQUIRE(t->lines == 3);
  REQUIRE(t->refs.size() == 5);  // fetch, modify = load + store, and a load across two pages
}
