// scenario_files.cpp: `vmsim run --workload file-reclaim`, file pages
// against anonymous pages under memory pressure, and what swappiness does.
//
// A program keeps a hot set of anonymous memory half as large as the
// machine's memory, and streams through a file of three and a half times
// memory (mapped shared; one page in sixteen is written), touching its hot
// set between file pages.
// Together that is four times memory: something must go. Reclaim chooses
// between the two lists by swappiness (sw/kernel/anon_file_lists.h):
//   0    file pages go first: the hot set stays, the stream is read from the
//        file again each pass (clean pages dropped without I/O);
//   100  both kinds alike, by their share of memory;
//   200  anonymous pages first: the hot set is swapped out and back in.
// Every word is checked as it is read, and at the end, after msync, the
// whole file and the whole hot set are read back: nothing may be lost.
#include <fmt/format.h>

#include <vector>

#include "testbench/workloads/scenario_support.h"

namespace vmsim {

namespace {

constexpr unsigned kPasses = 3;
constexpr uint64_t kDirtyEvery = 16;  // file pages written: one in this many
const Perms kRW{true, true, false, true};

class FileReclaim final : public Workload {
 public:
  explicit FileReclaim(uint64_t seed) : seed_(seed) {}
  std::string name() const override { return "file-reclaim"; }
  std::string description() const override {
    return "file-reclaim scenario: a hot anonymous set and a file stream, 4x memory";
  }

  WorkloadResult run(GuestRuntime& rt) override {
    WorkloadResult r;
    anon_pages_ = rt.frames().total() / 2;
    file_pages_ = 4 * rt.frames().total() - anon_pages_;
    const auto file = rt.create_file("stream", file_pages_ * kPageSize, seed_);
    if (!file) {
      r.setup_error = "the file store has no room for the scenario's file";
      return r;
    }
    const MemorySyscalls::FileMapping fm = rt.mmap_file(*file, 0, file_pages_ * kPageSize, kRW, true);
    const auto anon = rt.mmap(anon_pages_ * kPageSize, kRW);
    if (!fm.at || !anon) {
      r.setup_error = fm.at ? "mmap of the hot set failed" : fm.error;
      return r;
    }
    file_base_ = fm.at->value(), anon_base_ = anon->value();
    file_words_.resize(file_pages_);
    for (uint64_t i = 0; i < file_pages_; ++i)
      file_words_[i] = file_pattern(seed_, i * kPageSize + word_off(i));
    anon_words_.assign(anon_pages_, 0);
    for (uint64_t i = 0; i < anon_pages_ && rt.current().alive; ++i) store_anon(rt, i, r);
    for (unsigned pass = 0; pass < kPasses && rt.current().alive; ++pass) stream(rt, pass, r);
    const std::string synced = rt.msync(*fm.at, file_pages_ * kPageSize);
    if (!synced.empty()) r.error(synced);
    r.unexpected_faults += !synced.empty();
    for (uint64_t i = 0; i < file_pages_ && rt.current().alive; ++i) check_file(rt, i, r);
    for (uint64_t i = 0; i < anon_pages_ && rt.current().alive; ++i) check_anon(rt, i, r);
    report(rt, r);
    return r;
  }

 private:
  static uint64_t word_off(uint64_t page) { return 8 * (page % 509); }
  VirtAddr file_va(uint64_t i) const { return VirtAddr{file_base_ + i * kPageSize + word_off(i)}; }
  VirtAddr anon_va(uint64_t i) const { return VirtAddr{anon_base_ + i * kPageSize + word_off(i)}; }

  // A pass: every file page read in order (one in kDirtyEvery written), the
  // hot set's pages touched in turn between them.
  void stream(GuestRuntime& rt, unsigned pass, WorkloadResult& r) {
    for (uint64_t i = 0; i < file_pages_ && rt.current().alive; ++i) {
      check_file(rt, i, r);
      if ((i + pass) % kDirtyEvery == 0) {
        const uint64_t v = file_words_[i] ^ (uint64_t{pass + 1} << 56);
        if (!ok(rt.store(file_va(i), v, 8, Priv::kUser), r)) return;
        file_words_[i] = v;
      }
      if (i % 2 == 0) {
        const uint64_t a = (i / 2) % anon_pages_;
        check_anon(rt, a, r);
        if (i % 4 == 0) store_anon(rt, a, r);
      }
    }
  }

  void store_anon(GuestRuntime& rt, uint64_t i, WorkloadResult& r) {
    const uint64_t v = (anon_words_[i] + 1) | (i << 20);
    if (ok(rt.store(anon_va(i), v, 8, Priv::kUser), r)) anon_words_[i] = v;
  }
  void check_file(GuestRuntime& rt, uint64_t i, WorkloadResult& r) {
    check(rt.load(file_va(i), 8, Priv::kUser), file_words_[i], "file page", i, r);
  }
  void check_anon(GuestRuntime& rt, uint64_t i, WorkloadResult& r) {
    check(rt.load(anon_va(i), 8, Priv::kUser), anon_words_[i], "hot-set page", i, r);
  }
  void check(const AccessResult& a, uint64_t want, const char* what, uint64_t i, WorkloadResult& r) {
    if (!ok(a, r)) return;
    ++checked_;
    if (a.value != want) {
      ++r.data_mismatches;
      r.error(fmt::format("{} {} read {:#x}, expected {:#x}", what, i, a.value, want));
    }
  }
  static bool ok(const AccessResult& a, WorkloadResult& r) {
    if (!a.ok) {
      ++r.unexpected_faults;
      r.error(a.fault ? a.fault->reason : std::string("access failed"));
    }
    return a.ok;
  }

  void report(GuestRuntime& rt, WorkloadResult& r) const {
    const RuntimeStats& s = rt.stats();
    const uint64_t file_out = s.file_drops + s.file_reclaim_writes;
    const uint64_t evicted = file_out + s.swap_outs + s.swap_clean_drops + s.zero_drops;
    r.always_show_swap = true;
    r.figures["scenario.swappiness"] = rt.lists().swappiness();
    r.figures["scenario.file_pages"] = file_pages_;
    r.figures["scenario.anon_pages"] = anon_pages_;
    r.figures["scenario.words_checked"] = checked_;
    r.figures["scenario.bytes_lost"] = 8 * r.data_mismatches;
    r.figures["scenario.file_pages_reclaimed"] = file_out;
    r.figures["scenario.anon_pages_swapped_out"] = s.swap_outs;
    r.figures["scenario.anon_pages_swapped_in"] = s.swap_ins;
    r.figures["scenario.file_share_of_reclaim"] = evicted ? double(file_out) / double(evicted) : 0.0;
    r.lines.push_back(fmt::format(
        "  memory             {} frames; hot set {} pages, file {} pages: {}x memory", rt.frames().total(),
        anon_pages_, file_pages_, (anon_pages_ + file_pages_) / rt.frames().total()));
    r.lines.push_back(fmt::format("  swappiness {:<7} {:.0f}% of reclaimed pages were file pages",
                                  rt.lists().swappiness(),
                                  evicted ? 100.0 * double(file_out) / double(evicted) : 0.0));
    r.lines.push_back(
        fmt::format("  file pages         {} reclaimed ({} dropped clean, {} written back first), "
                    "{} read from the file",
                    file_out, s.file_drops, s.file_reclaim_writes, s.file_reads));
    r.lines.push_back(fmt::format("  hot set            {} pages swapped out, {} swapped back in",
                                  s.swap_outs, s.swap_ins));
    r.lines.push_back(
        fmt::format("  checked            {} words, {} bytes lost", checked_, 8 * r.data_mismatches));
    explain(r, {"Reclaim keeps two lists, anonymous and file pages, and swappiness sets which it takes",
                "from. A clean file page costs nothing to drop (the file still has it); an anonymous page",
                "must be written to swap first. At 0 the stream's pages go and the hot set stays; at 200",
                "the hot set is swapped out for pages the stream will not read again this pass. Run it at",
                "0, 60 and 100 (--swappiness) and compare the swap lines."});
  }

  uint64_t seed_;
  uint64_t anon_pages_ = 0, file_pages_ = 0;
  uint64_t file_base_ = 0, anon_base_ = 0;
  std::vector<uint64_t> file_words_, anon_words_;  // what each page's checked word must hold
  uint64_t checked_ = 0;
};

std::unique_ptr<Workload> make_file_reclaim(const WorkloadOptions& o) {
  return std::make_unique<FileReclaim>(o.seed);
}

}  // namespace

VMSIM_REGISTER_WORKLOAD(file_reclaim, "file-reclaim",
                        "scenario: a hot anonymous set and a file stream at 4x memory; see --swappiness", 0,
                        512, make_file_reclaim);

}  // namespace vmsim
