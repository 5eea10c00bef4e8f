// File-backed memory over the RTL MMU: shared and private mappings of files,
// the page cache and writeback (msync, the flusher, reclaim), the D bit, and
// random operations under memory pressure checked against a host-side model
// of every file and every private mapping.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "support/kernel_fixture.h"
#include "sw/kernel/guest_runtime.h"

using namespace vmsim;

using test::Kernel;
using test::kRW;
using test::require_clean_audit;

namespace {

const Perms kRO{true, false, false, true};

std::string fmt_hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The word at `offset` of file `f` as the store holds it now.
uint64_t file_word(FileStore& files, FileId f, uint64_t offset) {
  std::vector<uint8_t> page(kPageSize);
  uint64_t latency = 0;
  REQUIRE(files.read_page(f, offset / kPageSize, page.data(), latency));
  uint64_t v = 0;
  std::memcpy(&v, page.data() + offset % kPageSize, 8);
  return v;
}

VirtAddr map(Kernel& k, FileId f, uint64_t offset, uint64_t length, bool shared, Perms perms = kRW) {
  const MemorySyscalls::FileMapping m = k.rt.mmap_file(f, offset, length, perms, shared);
  INFO(m.error);
  REQUIRE(m.at);
  return *m.at;
}

}  // namespace

TEST_CASE("file mmap: a shared mapping reads the file, and its stores reach the file at msync",
          "[mm][file]") {
  Kernel k;
  const FileId f = *k.rt.create_file("data", 5 * kPageSize + 100, 7);
  const VirtAddr at = map(k, f, 0, 6 * kPageSize, true);
  for (uint64_t off = 0; off < 5 * kPageSize; off += 520) {
    const uint64_t o = off / 8 * 8;
    REQUIRE(k.read(at.value() + o) == file_pattern(7, o));
  }
  CHECK(k.rt.stats().file_reads == 5);  // one page-cache miss per page: major faults
  CHECK(k.rt.stats().faults.major >= 5);
  // The last page is partial: its bytes past the end of the file read as zeros.
  CHECK(k.read(at.value() + 5 * kPageSize + 96) == (file_pattern(7, 5 * kPageSize + 96) & 0xffff'ffff));
  CHECK(k.read(at.value() + 5 * kPageSize + 104) == 0);

  k.write(at.value() + kPageSize + 16, 0xfeed);
  CHECK(file_word(k.files, f, kPageSize + 16) == file_pattern(7, kPageSize + 16));  // not yet written back
  require_clean_audit(k);
  REQUIRE(k.rt.msync(at, 6 * kPageSize).empty());
  CHECK(file_word(k.files, f, kPageSize + 16) == 0xfeed);
  CHECK(k.rt.stats().file_writes == 1);  // only the page stored to: D told which
  // After writeback D is clear again: the next store is seen and written too.
  k.write(at.value() + kPageSize + 24, 0xbeef);
  REQUIRE(k.rt.msync(at, kPageSize * 2).empty());
  CHECK(file_word(k.files, f, kPageSize + 24) == 0xbeef);
  CHECK(k.rt.stats().file_writes == 2);
  require_clean_audit(k);
}

TEST_CASE("file mmap: a private mapping copies on its first store and never changes the file", "[mm][file]") {
  Kernel k;
  const FileId f = *k.rt.create_file("lib", 8 * kPageSize, 3);
  const VirtAddr shared = map(k, f, 0, 8 * kPageSize, true);
  const VirtAddr priv = map(k, f, 2 * kPageSize, 4 * kPageSize, false);  // file pages 2..5
  CHECK(k.read(priv.value()) == file_pattern(3, 2 * kPageSize));
  const uint64_t frames = k.rt.user_frames_in_use();
  k.write(priv.value() + 8, 111);  // COW: a page of its own
  CHECK(k.rt.stats().faults.cow == 1);
  CHECK(k.rt.user_frames_in_use() == frames + 1);
  CHECK(k.read(shared.value() + 2 * kPageSize + 8) == file_pattern(3, 2 * kPageSize + 8));
  // A store through the shared mapping is seen by the private one where it
  // has no copy of its own yet, and not where it has.
  k.write(shared.value() + 3 * kPageSize, 222);
  k.write(shared.value() + 2 * kPageSize, 333);
  CHECK(k.read(priv.value() + kPageSize) == 222);
  CHECK(k.read(priv.value()) == file_pattern(3, 2 * kPageSize));
  require_clean_audit(k);
  REQUIRE(k.rt.sync_files());
  CHECK(file_word(k.files, f, 2 * kPageSize + 8) ==
        file_pattern(3, 2 * kPageSize + 8));  // private: not written
  CHECK(file_word(k.files, f, 3 * kPageSize) == 222);
  REQUIRE(k.rt.msync(priv, 4 * kPageSize).empty());  // a private mapping has nothing to write
  require_clean_audit(k);
}

TEST_CASE("file mmap: dirty pages outlive munmap and exit in the page cache, and the flusher writes them",
          "[mm][file]") {
  RuntimeConfig cfg;
  cfg.writeback_period = 64;
  Kernel k(cfg);
  const FileId f = *k.rt.create_file("log", 4 * kPageSize, 1);
  Process& writer = k.rt.create_process("writer");
  k.rt.switch_to(writer);
  const VirtAddr at = map(k, f, 0, 4 * kPageSize, true);
  for (uint64_t i = 0; i < 4; ++i) k.write(at.value() + i * kPageSize, 50 + i);
  REQUIRE(k.rt.munmap(at, 2 * kPageSize));
  k.rt.exit_process(writer, "done");
  k.rt.switch_to(*k.rt.find_process(1));
  CHECK(k.rt.page_cache().object(f)->pages.at(0).state == PageState::kResident);  // still cached
  require_clean_audit(k);
  CHECK(k.rt.stats().file_writes == 0);
  // The flusher runs on a timer of guest accesses.
  REQUIRE(k.rt.add_lazy_region({"spin", VirtAddr{test::kBase}, kPageSize, kRW}));
  for (int i = 0; i < 64; ++i) k.read(test::kBase);
  CHECK(k.rt.stats().file_flushes == 1);
  for (uint64_t i = 0; i < 4; ++i) CHECK(file_word(k.files, f, i * kPageSize) == 50 + i);
  // A later process maps the file and reads what the first wrote.
  const VirtAddr again = map(k, f, 0, 4 * kPageSize, false, kRO);
  CHECK(k.read(again.value() + 3 * kPageSize) == 53);
  require_clean_audit(k);
}

TEST_CASE("file mmap: past the end of the file, msync of anonymous memory and write errors are refused",
          "[mm][file]") {
  Kernel k;
  const FileId f = *k.rt.create_file("small", 2 * kPageSize + 1, 0);
  MemorySyscalls::FileMapping m = k.rt.mmap_file(f, 0, 4 * kPageSize, kRW, true);
  CHECK_FALSE(m.at);
  CHECK(m.error == "mmap: bytes [0x0, 0x4000) of file 'small' reach past its end (8193 bytes)");
  CHECK_FALSE(k.rt.mmap_file(f, 3 * kPageSize, kPageSize, kRW, true).at);
  CHECK(k.rt.mmap_file(f, 100, kPageSize, kRW, true).error == "mmap: offset 0x64 is not page-aligned");
  CHECK(k.rt.mmap_file(FileId{9}, 0, kPageSize, kRW, true).error == "mmap: there is no file 9");
  REQUIRE(k.rt.mmap_file(f, 0, 3 * kPageSize, kRW, true).at);  // the partial last page is the file's

  const auto anon = k.rt.mmap(2 * kPageSize, kRW);
  REQUIRE(anon);
  char want[160];
  std::snprintf(want, sizeof want, "msync: [%s, %s) is anonymous memory ('mmap'), not a file mapping",
                fmt_hex(anon->value()).c_str(), fmt_hex(anon->value() + kPageSize).c_str());
  CHECK(k.rt.msync(*anon, kPageSize) == want);

  // A disk that refuses writes: msync says so, and the page stays dirty.
  const VirtAddr at = map(k, f, 0, kPageSize, true);
  k.write(at.value(), 5);
  k.files.fail_writes(true);
  CHECK(k.rt.msync(at, kPageSize) == "msync: I/O error writing file 'small'");
  k.files.fail_writes(false);
  REQUIRE(k.rt.msync(at, kPageSize).empty());
  CHECK(file_word(k.files, f, 0) == 5);
  require_clean_audit(k);
}

namespace {

// The host-side model: every file's words as the page cache should hold
// them, and every private mapping's pages of its own (copied on its first
// store to the page, frozen from then on).
struct FileModel {
  uint64_t bytes;
  std::vector<uint64_t> words;
};

struct Mapping {
  Process* proc;
  VirtAddr at;
  size_t file;
  uint64_t first_page, pages;
  bool shared;
  std::map<uint64_t, std::vector<uint64_t>> copies;  // private: page in mapping -> its words
};

class RandomFileRun {
 public:
  RandomFileRun(Kernel& k, uint64_t seed) : k_(k), rng_(seed) {
    const uint64_t sizes[] = {64 * kPageSize, 48 * kPageSize + 1000, 40 * kPageSize};
    for (uint64_t bytes : sizes) {
      const uint64_t fseed = rng_();
      const std::string name = std::string("f") + char('0' + ids_.size());
      ids_.push_back(*k_.rt.create_file(name, bytes, fseed));
      FileModel m{bytes, std::vector<uint64_t>(bytes / 8)};
      for (uint64_t w = 0; w < m.words.size(); ++w) m.words[w] = file_pattern(fseed, w * 8);
      files_.push_back(std::move(m));
    }
    procs_.push_back(&k_.rt.current());
  }

  void step(int s) {
    Process* p = procs_[rng_() % procs_.size()];
    k_.rt.switch_to(*p);
    std::vector<size_t> mine;
    for (size_t i = 0; i < maps_.size(); ++i) {
      if (maps_[i].proc == p) mine.push_back(i);
    }
    const unsigned what = rng_() % 100;
    if (mine.size() < 3 || what < 3) return add_mapping(p);
    const size_t m = mine[rng_() % mine.size()];
    if (what < 5) return unmap(m);
    if (what < 8) return msync(m);
    if (what < 9 && procs_.size() < 4) return fork(p);
    access(maps_[m], s);
  }

  void finish() {
    REQUIRE(k_.rt.sync_files());
    for (size_t f = 0; f < files_.size(); ++f) {
      for (uint64_t w = 0; w < files_[f].words.size(); ++w) {
        INFO("file " << f << " word " << w);
        REQUIRE(file_word(k_.files, ids_[f], w * 8) == files_[f].words[w]);
      }
    }
  }

 private:
  uint64_t file_pages(size_t f) const { return pages_of_file(files_[f].bytes); }

  void add_mapping(Process* p) {
    const size_t f = rng_() % files_.size();
    const uint64_t first = rng_() % file_pages(f);
    const uint64_t pages = 1 + rng_() % std::min<uint64_t>(16, file_pages(f) - first);
    const bool shared = rng_() % 2;
    const VirtAddr at = map(k_, ids_[f], first * kPageSize, pages * kPageSize, shared);
    maps_.push_back({p, at, f, first, pages, shared, {}});
  }

  void unmap(size_t m) {
    REQUIRE(k_.rt.munmap(maps_[m].at, maps_[m].pages * kPageSize));
    maps_.erase(maps_.begin() + static_cast<long>(m));
  }

  // After msync of a shared mapping, the file holds what the model says for its range.
  void msync(size_t m) {
    const Mapping& mp = maps_[m];
    REQUIRE(k_.rt.msync(mp.at, mp.pages * kPageSize).empty());
    if (!mp.shared) return;
    const FileModel& fm = files_[mp.file];
    const uint64_t first_word = mp.first_page * kPageSize / 8;
    const uint64_t end_word = std::min<uint64_t>(fm.words.size(), (mp.first_page + mp.pages) * kPageSize / 8);
    for (uint64_t w = first_word; w < end_word; w += 37) {
      INFO("msync'd file " << mp.file << " word " << w);
      REQUIRE(file_word(k_.files, ids_[mp.file], w * 8) == fm.words[w]);
    }
  }

  void fork(Process* p) {
    Process* child = k_.rt.fork(*p);
    REQUIRE(child);
    const size_t n = maps_.size();
    for (size_t i = 0; i < n; ++i) {
      if (maps_[i].proc != p) continue;
      Mapping c = maps_[i];  // private copies are copied too: the child reads what the parent did
      c.proc = child;
      maps_.push_back(std::move(c));
    }
    procs_.push_back(child);
  }

  void access(Mapping& mp, int s) {
    FileModel& fm = files_[mp.file];
    const uint64_t page = rng_() % mp.pages;
    const uint64_t file_off = (mp.first_page + page) * kPageSize + 8 * (rng_() % 512);
    if (file_off + 8 > fm.bytes) return;  // past the end: not the file's, never written back
    const uint64_t w = file_off / 8;
    const VirtAddr va{mp.at.value() + file_off - mp.first_page * kPageSize};
    auto copy = mp.copies.find(page);
    INFO("step " << s << " pid " << mp.proc->pid << (mp.shared ? " shared" : " private") << " file "
                 << mp.file << " offset " << file_off);
    if (rng_() % 3 == 0) {
      const uint64_t v = rng_();
      k_.write(va.value(), v);
      if (mp.shared) {
        fm.words[w] = v;
        return;
      }
      if (copy == mp.copies.end()) {
        const uint64_t first = (mp.first_page + page) * kPageSize / 8;
        const uint64_t end = std::min<uint64_t>(first + kPageSize / 8, fm.words.size());
        copy = mp.copies
                   .emplace(page, std::vector<uint64_t>(fm.words.begin() + static_cast<long>(first),
                                                        fm.words.begin() + static_cast<long>(end)))
                   .first;
      }
      copy->second[(file_off % kPageSize) / 8] = v;
      return;
    }
    const uint64_t want = copy != mp.copies.end() ? copy->second[(file_off % kPageSize) / 8] : fm.words[w];
    REQUIRE(k_.read(va.value()) == want);
  }

  Kernel& k_;
  std::mt19937_64 rng_;
  std::vector<FileId> ids_;
  std::vector<FileModel> files_;
  std::vector<Process*> procs_;
  std::vector<Mapping> maps_;
};

}  // namespace

TEST_CASE(
    "file mmap: random mappings, stores, msync, munmap and fork under memory pressure equal a host model",
    "[mm][file]") {
  const unsigned swappiness = GENERATE(0u, 60u, 200u);
  RuntimeConfig cfg;
  cfg.swappiness = swappiness;
  cfg.writeback_period = 500;
  Kernel k(cfg, /*frames=*/96, /*swap_slots=*/512);
  RandomFileRun run(k, 100 + swappiness);
  for (int s = 0; s < 4000; ++s) {
    run.step(s);
    if (s % 500 == 499) require_clean_audit(k);
  }
  run.finish();
  require_clean_audit(k);
  INFO("swappiness " << swappiness);
  CHECK(k.rt.stats().file_drops + k.rt.stats().file_reclaim_writes > 0);  // under pressure indeed
  CHECK(k.rt.stats().faults.cow > 0);
}
