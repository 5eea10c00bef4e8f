// The anonymous and file lists and swappiness (sw/kernel/anon_file_lists.h):
// which list each victim comes from, against the proportions the header
// states, worked out here by hand.
#include <catch2/catch.hpp>
#include <deque>
#include <memory>

#include "sw/kernel/anon_file_lists.h"

using namespace vmsim;

namespace {

struct NoBits : AccessedBits {
  bool test_and_clear(Page&) override { return false; }
};

struct Pages {
  MemoryObject anon, file;
  std::deque<Page> pages;
  Pages() { file.file = FileId{0}; }
  void add(AnonFileLists& lists, bool is_file, int n) {
    for (int i = 0; i < n; ++i) {
      Page& p = pages.emplace_back();
      p.obj = is_file ? &file : &anon;
      p.index = pages.size();
      lists.insert(p);
    }
  }
};

// Takes n victims (each removed, as eviction does); returns how many were file pages.
int file_victims(AnonFileLists& lists, int n, bool swap_has_room = true) {
  NoBits bits;
  int files = 0;
  for (int i = 0; i < n; ++i) {
    Page* v = lists.victim(bits, swap_has_room);
    REQUIRE(v);
    files += v->obj->file.has_value();
    lists.remove(*v);
  }
  return files;
}

}  // namespace

TEST_CASE("anon/file lists: without file pages reclaim sees one list, as before files existed",
          "[kernel][lists]") {
  AnonFileLists lists("fifo", {}, 60);
  Pages p;
  p.add(lists, false, 10);
  CHECK(lists.size() == 10);
  CHECK(lists.file_pages() == 0);
  CHECK(file_victims(lists, 10) == 0);
}

TEST_CASE("anon/file lists: swappiness 0 takes file pages while there are any", "[kernel][lists]") {
  AnonFileLists lists("fifo", {}, 0);
  Pages p;
  p.add(lists, false, 50);
  p.add(lists, true, 30);
  CHECK(file_victims(lists, 30) == 30);
  CHECK(file_victims(lists, 50) == 0);  // then the anonymous ones
}

TEST_CASE("anon/file lists: swappiness 200 takes anonymous pages while there are any", "[kernel][lists]") {
  AnonFileLists lists("fifo", {}, 200);
  Pages p;
  p.add(lists, false, 20);
  p.add(lists, true, 20);
  CHECK(file_victims(lists, 20) == 0);
  CHECK(file_victims(lists, 20) == 20);
}

TEST_CASE("anon/file lists: at swappiness 100 equal lists give equal turns", "[kernel][lists]") {
  AnonFileLists lists("fifo", {}, 100);
  Pages p;
  p.add(lists, false, 1000);
  p.add(lists, true, 1000);
  // 100 x 1000 against 100 x 1000 per turn: alternate, give or take the
  // drift as the lists shrink by one.
  const int files = file_victims(lists, 200);
  CHECK(files >= 99);
  CHECK(files <= 101);
}

TEST_CASE("anon/file lists: at swappiness 60 the anonymous list's share is 60A / (60A + 140F)",
          "[kernel][lists]") {
  AnonFileLists lists("fifo", {}, 60);
  Pages p;
  p.add(lists, false, 10000);
  p.add(lists, true, 10000);
  // 60 / (60 + 140) = 0.3 of 100 victims are anonymous (the lists hardly change in 100 turns).
  const int files = file_victims(lists, 100);
  CHECK(files >= 69);
  CHECK(files <= 71);
}

TEST_CASE("anon/file lists: with swap full only file pages are taken", "[kernel][lists]") {
  AnonFileLists lists("fifo", {}, 200);
  Pages p;
  p.add(lists, false, 5);
  p.add(lists, true, 5);
  CHECK(file_victims(lists, 5, /*swap_has_room=*/false) == 5);
  CHECK(file_victims(lists, 5, false) == 0);  // none left: an anonymous page rather than none
}

TEST_CASE("anon/file lists: swappiness above 200 is refused", "[kernel][lists]") {
  CHECK_THROWS_WITH(AnonFileLists("fifo", {}, 201), "swappiness 201 is out of range (0..200)");
}
