// The malloc-lab trace format (.rep) with C's meaning, and its replay:
// what real programs' traces contain is accepted, what is truly malformed or
// a misuse (double free) is refused with its line.
#include <catch2/catch.hpp>
#include <sstream>

#include "testbench/formats/malloc_trace.h"
#include "testbench/workloads/malloc_replay.h"

using namespace vmsim;

namespace {
std::optional<MallocTrace> parse(const std::string& text, std::string& error) {
  std::istringstream in(text);
  return parse_malloc_trace(in, "t.rep", error);
}

ReplayResult replay_natively(const MallocTrace& t) {
  NativeHeap mem;
  Ptmalloc<NativeHeap> a{mem};
  return replay_checked(a, t, false);
}
}  // namespace

TEST_CASE("realloc of an id holding no block is realloc(NULL, n), a malloc", "[malloc][trace]") {
  std::string error;
  const auto t = parse("r 3 100\nr 3 200\nf 3\n", error);
  REQUIRE(t);
  REQUIRE(t->ops.size() == 3);
  const ReplayResult r = replay_natively(*t);
  INFO(r.first_error);
  REQUIRE(r.integrity_errors == 0);
  REQUIRE(r.peak_payload == 200);
}

TEST_CASE("f -1 is free(NULL): a no-op with an id slot of its own", "[malloc][trace]") {
  std::string error;
  const auto t = parse("a 0 16\nf -1\nf 0\nf -1\n", error);
  REQUIRE(t);
  REQUIRE(t->ids == 2);  // id 0 and the free(NULL) slot
  REQUIRE(t->ops[1].id == 1);
  REQUIRE(t->ops[3].id == 1);
  REQUIRE(replay_natively(*t).integrity_errors == 0);
}

TEST_CASE("an allocation without a size is malloc(0)", "[malloc][trace]") {
  std::string error;
  const auto t = parse("a 0\na 1 0\nf 0\nf 1\n", error);
  REQUIRE(t);
  REQUIRE(t->ops[0].size == 0);
  REQUIRE(replay_natively(*t).integrity_errors == 0);  // two distinct minimal blocks
}

TEST_CASE("realloc to 0 frees the block, and the id then holds NULL, which may be freed", "[malloc][trace]") {
  std::string error;
  const auto t = parse("a 0 10\na 1 10\nr 0 0\nr 1 0\nf 0\nf 1\n", error);
  REQUIRE(t);
  const ReplayResult r = replay_natively(*t);
  INFO(r.first_error);
  REQUIRE(r.integrity_errors == 0);
  REQUIRE(r.ops == 6);
}

TEST_CASE("misuse of an id is refused with its line and what happened before", "[malloc][trace]") {
  std::string error;
  CHECK_FALSE(parse("a 0 8\nf 0\nf 0\n", error));
  CHECK(error == "t.rep:3: id 0 is freed again after line 2 freed it (a double free) (in 'f 0')");
  CHECK_FALSE(parse("a 0 8\nf 0\nr 0 9\n", error));
  CHECK(error.find("t.rep:3: id 0 is reallocated after line 2 freed it") == 0);
  CHECK_FALSE(parse("a 0 8\nf 5\n", error));
  CHECK(error.find("t.rep:2: id 5 is freed but was never allocated") == 0);
  CHECK_FALSE(parse("a 0 8\na 0 9\n", error));
  CHECK(error.find("t.rep:2: id 0 is allocated again while it holds the block line 1 gave it") == 0);
}

TEST_CASE("malformed lines are still refused, and a long line is quoted short", "[malloc][trace]") {
  std::string error;
  for (const char* bad : {"a 1 2 3\n", "f x\n", "q 1\n", "r 1\n", "f -2\n", "a -1 5\n", "a 10000001 5\n",
                          "a 1 1099511627777\n"}) {
    INFO(bad);
    CHECK_FALSE(parse(bad, error));
    CHECK(error.find("t.rep:1: ") == 0);
  }
  CHECK_FALSE(parse("a 1 " + std::string(100'000, '7') + "\n", error));
  CHECK(error == "t.rep:1: line longer than 4096 characters");
  CHECK_FALSE(parse("a 1 2 " + std::string(3'000, 'x') + "\n", error));  // under the limit, quoted short
  CHECK(error.size() < 300);
  CHECK(error.find("(3006 bytes)") != std::string::npos);
}

TEST_CASE("timing a trace with a large id frees only what a pass leaves, so it ends promptly",
          "[malloc][trace][throughput]") {
  std::string error;
  const auto t = parse("a 9999999 10\nf 9999999\na 5000000 20\n", error);
  REQUIRE(t);
  const Throughput native = time_native(*t, 0.02);
  REQUIRE(native.ops >= 3);
  REQUIRE(native.seconds >= 0.02);  // glibc's side: tests/cli/check_glibc_heap.py
}
