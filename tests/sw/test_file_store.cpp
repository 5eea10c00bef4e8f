// The guest's file store (model/file_store.h): new files read as their
// pattern, the last page's tail as zeros, writes come back, and a full disk
// refuses new pages while rewriting the ones it holds.
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "model/file_store.h"

using namespace vmsim;

namespace {
uint64_t word(const std::vector<uint8_t>& page, uint64_t offset) {
  uint64_t v = 0;
  std::memcpy(&v, page.data() + offset, 8);
  return v;
}
}  // namespace

TEST_CASE("file store: a new file reads as its pattern, zeros past its end, and keeps what is written",
          "[files]") {
  FileStore store(7);
  const FileId f = *store.create("data", kPageSize + 16, 3);
  CHECK(store.size(f) == kPageSize + 16);
  CHECK(store.name(f) == "data");
  std::vector<uint8_t> page(kPageSize);
  uint64_t latency = 0;
  REQUIRE(store.read_page(f, 0, page.data(), latency));
  CHECK(latency == 7);
  CHECK(word(page, 64) == file_pattern(3, 64));
  REQUIRE(store.read_page(f, 1, page.data(), latency));
  CHECK(word(page, 8) == file_pattern(3, kPageSize + 8));
  CHECK(word(page, 16) == 0);                                // past the end of the file
  CHECK_FALSE(store.read_page(f, 2, page.data(), latency));  // no page 2
  CHECK_FALSE(store.read_page(FileId{5}, 0, page.data(), latency));
  std::fill(page.begin(), page.end(), 0xab);
  REQUIRE(store.write_page(f, 1, page.data(), latency));
  std::vector<uint8_t> back(kPageSize);
  REQUIRE(store.read_page(f, 1, back.data(), latency));
  CHECK(word(back, 8) == 0xabababababababab);
  CHECK(word(back, 16) == 0);  // the tail past the end is not kept
  CHECK_FALSE(store.create("huge", FileStore::kMaxFileBytes + 1, 0));
}

TEST_CASE("file store: a full disk refuses new pages and still rewrites the ones it holds", "[files]") {
  FileStore store(0, /*max_written_pages=*/2);
  const FileId f = *store.create("big", 4 * kPageSize, 9);
  std::vector<uint8_t> page(kPageSize, 0x5a);
  uint64_t latency = 0;
  CHECK(store.write_page(f, 0, page.data(), latency));
  CHECK(store.write_page(f, 1, page.data(), latency));
  CHECK_FALSE(store.write_page(f, 2, page.data(), latency));  // a third new page
  CHECK(store.write_page(f, 0, page.data(), latency));        // a page it holds
  CHECK(store.pages_stored() == 2);
  std::vector<uint8_t> back(kPageSize);
  REQUIRE(store.read_page(f, 2, back.data(), latency));
  CHECK(word(back, 0) == file_pattern(9, 2 * kPageSize));  // the refused write changed nothing
}
