// Named MMU configurations (testbench/formats/mmu_config.h): every preset in
// configs/ loads, and each way a file can be wrong is named.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "testbench/formats/mmu_config.h"
#include "tests/sw/temp_file.h"

using namespace vmsim;

namespace {

std::string load_error(const std::string& text) {
  static int calls = 0;  // a file a call: cases run in parallel processes
  const std::string path = test::temp_path("config_" + std::to_string(++calls) + ".json");
  std::ofstream(path) << text;
  std::string err;
  const bool ok = load_mmu_config(path, err).has_value();
  std::filesystem::remove(path);
  return ok ? "loaded" : err;
}

}  // namespace

TEST_CASE("mmu config: every preset loads, names its source, and keys the cache by its parameters",
          "[sw][config]") {
  unsigned n = 0;
  for (const auto& e : std::filesystem::directory_iterator(VMSIM_SOURCE_DIR "/configs")) {
    if (e.path().extension() != ".json") continue;
    INFO(e.path());
    std::string err;
    const auto c = load_mmu_config(e.path().string(), err);
    REQUIRE(c);
    CHECK(c->name == e.path().stem().string());
    CHECK(c->source.size() > 40);  // where the sizes come from, in words
    CHECK(c->tlb.l1.entries() >= 2);
    ++n;
  }
  CHECK(n >= 3);
  std::string err;
  const auto rocket = load_mmu_config(VMSIM_SOURCE_DIR "/configs/rocket.json", err);
  REQUIRE(rocket);
  CHECK(rocket->canonical() == "xlen=64 l1=1x32,plru,4 l1i=1x32,plru,4 pwc1=4,plru pwc2=4,plru");
  const auto skylake = load_mmu_config(VMSIM_SOURCE_DIR "/configs/skylake.json", err);
  REQUIRE(skylake);
  CHECK(skylake->canonical() ==
        "xlen=64 l1=16x4,plru,32 l1i=16x8,plru,8 l2=128x8,plru,16,9 pwc1=32,plru pwc2=4,plru pwc3=2,plru");
}

TEST_CASE("mmu config: defaults fill what a file leaves out", "[sw][config]") {
  CHECK(load_error(R"({"l1_tlb": {}})") == "loaded");
  CHECK(load_error(R"({"l1_tlb": {"ways": 8, "policy": "fifo"}, "xlen": 32})") == "loaded");
  CHECK(load_error(R"({"l1_tlb": {}, "l1_itlb": {"ways": 4}, "l2_tlb": {"sets": 512, "ways": 8,
                       "superpage_entries": 16, "latency": 4}})") == "loaded");
}

TEST_CASE("mmu config: each mistake is named with the file and the key or line", "[sw][config]") {
  CHECK_THAT(load_error("{\n \"l1_tlb\": {\n  \"sets\": 4,,\n }\n}\n"),
             Catch::Contains(".json:3: not valid JSON"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"wyas": 4}})"), Catch::Contains("l1_tlb.wyas: unknown key"));
  CHECK_THAT(load_error(R"({"l3_tlb": {}, "l1_tlb": {}})"), Catch::Contains("l3_tlb: unknown key"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"latency": 3}})"), Catch::Contains("l1_tlb.latency: unknown key"));
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "l2_tlb": {"latency": 0}})"),
             Catch::Contains("l2_tlb.latency: 0 is not a whole number from 1 to 255"));
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "l2_tlb": {"sets": 64, "ways": 8}})"),
             Catch::Contains("l2_tlb: a set-associative TLB (sets > 1) needs a superpage array"));
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "l1_itlb": {"policy": "mru"}})"),
             Catch::Contains("l1_itlb.policy: \"mru\" is not"));
  CHECK_THAT(load_error(R"({"name": "x"})"), Catch::Contains("l1_tlb: missing"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"ways": 12}})"), Catch::Contains("must be powers of two"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"ways": -4}})"),
             Catch::Contains("l1_tlb.ways: -4 is not a whole number"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"ways": 4.5}})"),
             Catch::Contains("l1_tlb.ways: 4.5 is not a whole number"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"sets": 8, "ways": 4}})"), Catch::Contains("needs a superpage array"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"sets": 4096, "ways": 4, "superpage_entries": 2}})"),
             Catch::Contains("16386 entries in all; from 2 to 8192"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"ways": 1}})"), Catch::Contains("1 entries in all"));
  CHECK(load_error(R"({"l1_tlb": {}, "page_walk_caches": {"l1": {"entries": 1}, "l4": {"entries": 256}}})") ==
        "loaded");
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "page_walk_caches": {"l1": {"entries": 12}}})"),
             Catch::Contains("page_walk_caches.l1.entries: 12 is not a power of two"));
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "page_walk_caches": {"l2": {"entries": 512}}})"),
             Catch::Contains("page_walk_caches.l2.entries: 512 is not a whole number from 1 to 256"));
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "page_walk_caches": {"l5": {"entries": 2}}})"),
             Catch::Contains("page_walk_caches.l5: unknown key"));
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "page_walk_caches": {"l1": {"entries": 2, "policy": "mru"}}})"),
             Catch::Contains("page_walk_caches.l1.policy: \"mru\" is not"));
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "xlen": 32, "page_walk_caches": {"l2": {"entries": 2}}})"),
             Catch::Contains("Sv32 reads pointers at level 1 only"));
  CHECK_THAT(load_error(R"({"l1_tlb": {}, "page_walk_caches": {"l1": {}}})"),
             Catch::Contains("page_walk_caches.l1.entries"));
  CHECK_THAT(load_error(R"({"l1_tlb": {"policy": "mru"}})"),
             Catch::Contains("l1_tlb.policy: \"mru\" is not"));
  CHECK_THAT(load_error(R"({"xlen": 48, "l1_tlb": {}})"), Catch::Contains("xlen: 48 is not 32 or 64"));
  CHECK_THAT(load_error(R"({"name": 7, "l1_tlb": {}})"), Catch::Contains("name: expected a string"));
  CHECK_THAT(load_error("[1, 2]"), Catch::Contains("expected a JSON object"));
  // The name names a cache directory: a path in it would write elsewhere.
  CHECK_THAT(load_error(R"({"name": "../../etc", "l1_tlb": {}})"),
             Catch::Contains("name: \"../../etc\" must be"));
  CHECK_THAT(load_error(R"({"name": "", "l1_tlb": {}})"), Catch::Contains("name: \"\" must be"));
  std::string err;
  CHECK_FALSE(load_mmu_config("/nonexistent/c.json", err));
  CHECK_THAT(err, Catch::Contains("cannot open configuration '/nonexistent/c.json'"));
}
