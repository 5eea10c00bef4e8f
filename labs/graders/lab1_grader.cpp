// lab1_grader.cpp: scores a student's page walker (labs/1-page-walk/walk.cpp)
// against vmsim's reference walker.
//
// For each seed it builds random Sv39 page tables in a 4 GiB memory (mostly
// good mappings of every page size, and every kind of broken PTE, as the
// differential tests use: testbench/check/random_page_tables.h) and drives
// 3000 translations through the student's walker, with satp switches, SUM
// and MXR changes and PTE edits mixed in. Each answer is compared with the
// reference walk (testbench/check/spec_walk.h), which is derived from the
// spec alone, and counted in the part its correct answer belongs to:
//   A  4 KiB pages that translate                                  30 points
//   B  superpages (2 MiB, 1 GiB) that translate                    20 points
//   C  invalid PTEs and rights: V, W without R, U/S (SUM), R/W/X (MXR)  25 points
//   D  the other checks: canonical addresses, reserved bits, pointer bits,
//      level-0 pointers, misaligned superpages, A/D, PTEs outside memory  25 points
// A part's points are its weight times the share of its answers that are
// right. The first eight wrong answers are printed, the spec's answer beside
// the student's.
//
// Usage: lab1_grader [--seeds N] [--quiet]
#include <fmt/format.h>

#include <array>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "labs/1-page-walk/lab1.h"
#include "model/host_memory.h"
#include "testbench/check/random_page_tables.h"
#include "testbench/check/spec_walk.h"

namespace {

using namespace vmsim;

struct Part {
  const char* name;
  double weight;
  uint64_t right = 0, asked = 0;
};

class MemoryView final : public lab1::Memory {
 public:
  explicit MemoryView(PhysMemory& mem) : mem_(mem) {}
  bool contains(uint64_t pa) const override { return mem_.contains(PhysAddr{pa}, 8); }
  uint64_t read_pte(uint64_t pa) const override { return mem_.read_u64(PhysAddr{pa}); }

 private:
  PhysMemory& mem_;
};

// An MmuPort whose answers are the student's; each is graded as it is made.
class GradedWalker final : public MmuPort {
 public:
  GradedWalker(PhysMemory& mem, const MmuFeatures& features, std::array<Part, 4>& parts, int& shown,
               bool quiet)
      : view_(mem), ref_(mem, features), parts_(parts), shown_(shown), quiet_(quiet) {}

  Translation translate(VirtAddr va, Access access, Priv priv) override {
    const RefResult want = ref_.translate(satp_, ctl_, va, access, priv);
    const lab1::Answer got = lab1::translate(view_, satp_, va.value(), access, priv, ctl_);
    const bool right = got.done && got.fault == want.t.fault &&
                       (got.fault ? got.cause == want.t.cause : got.pa == want.t.pa.value());
    Part& part = parts_[part_of(want)];
    ++part.asked;
    part.right += right;
    if (!right && shown_ == 0 && !quiet_) write_case(want, va, access, priv);
    if (!right && shown_ < 8 && !quiet_) {
      ++shown_;
      std::cout << fmt::format("  wrong: satp 0x{:x}, va 0x{:x} {} {}{}{}: yours {}, the spec's {}{}\n",
                               satp_, va.value(), to_string(access), to_string(priv), ctl_.sum ? " SUM" : "",
                               ctl_.mxr ? " MXR" : "", describe(got), describe(want.t),
                               want.t.fault ? fmt::format(" ({})", to_string(want.kind)) : "");
    }
    Translation t;
    t.fault = want.t.fault;  // the generator goes on as if the hardware had answered rightly
    t.cause = want.t.cause;
    t.pa = want.t.pa;
    return t;
  }
  void write_satp(uint64_t satp) override { satp_ = satp; }
  void set_control(const TranslationControl& ctl) override { ctl_ = ctl; }
  void sfence(std::optional<VirtAddr>, std::optional<Asid>) override {}  // no TLB to flush
  uint64_t cycles() const override { return 0; }

 private:
  // The first wrong answer as files vmsim translate reads: the PTEs the
  // spec's walk read, and the request, so its walk can be seen step by step.
  void write_case(const RefResult& want, VirtAddr va, Access access, Priv priv) const {
    std::ofstream image("lab1-wrong-image.txt"), req("lab1-wrong-requests.txt");
    image << "# the page-table entries the spec's walk read for your first wrong answer\n";
    for (const WalkStep& s : want.steps)
      image << fmt::format("0x{:x} 0x{:016x}\n", s.pte_addr.value(), s.pte);
    req << fmt::format("0x{:x} {} {}\n", va.value(), to_string(access), to_string(priv));
    std::cout << fmt::format(
        "  your first wrong answer, step by step:\n    build/vmsim translate --image lab1-wrong-image.txt "
        "--satp 0x{:x} --requests lab1-wrong-requests.txt --explain{}{}\n",
        satp_, ctl_.sum ? " --sum" : "", ctl_.mxr ? " --mxr" : "");
  }
  static size_t part_of(const RefResult& r) {
    if (!r.t.fault) return r.leaf_level > 0 ? 1 : 0;
    switch (r.kind) {
      case WalkFault::kInvalid:
      case WalkFault::kPrivilege:
      case WalkFault::kPermission:
        return 2;
      default:
        return 3;
    }
  }
  static std::string describe(const Translation& t) {
    return t.fault ? std::string(to_string(t.cause)) : fmt::format("PA 0x{:x}", t.pa.value());
  }
  static std::string describe(const lab1::Answer& a) {
    if (!a.done) return "not answered";
    return a.fault ? std::string(to_string(a.cause)) : fmt::format("PA 0x{:x}", a.pa);
  }

  MemoryView view_;
  SpecWalk ref_;
  std::array<Part, 4>& parts_;
  int& shown_;
  bool quiet_;
  uint64_t satp_ = 0;
  TranslationControl ctl_{};
};

}  // namespace

int main(int argc, char** argv) {
  unsigned seeds = 5;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seeds") && i + 1 < argc) {
      seeds = unsigned(std::stoul(argv[++i]));
    } else if (!std::strcmp(argv[i], "--quiet")) {
      quiet = true;
    } else {
      std::cerr << "usage: lab1_grader [--seeds N] [--quiet]\n";
      return 2;
    }
  }
  std::array<Part, 4> parts{
      {{"A  4 KiB pages that translate", 30},
       {"B  superpages that translate", 20},
       {"C  invalid PTEs and rights (V, W without R, U/S, R/W/X)", 25},
       {"D  the other checks (canonical, reserved, pointers, alignment, A/D, memory)", 25}}};
  MmuFeatures features;  // Sv39 alone: no Svnapot, Svpbmt or Svadu
  features.xlen = 64;
  features.modes = 1u << unsigned(PagingMode::kSv39);
  int shown = 0;  // wrong answers printed so far
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    SparseStore store(uint64_t{4} << 30);
    HostMemory mem(store);
    RandomTableConfig cfg;
    cfg.features = features;
    RandomPageTables tables(mem, cfg, seed);
    GradedWalker walker(mem, features, parts, shown, quiet);
    tables.drive(walker, 3000);
  }
  double total = 0;
  std::cout << "lab 1: your page walker against the spec's, " << seeds << " random page-table images\n";
  for (const Part& p : parts) {
    const double points = p.asked ? p.weight * double(p.right) / double(p.asked) : p.weight;
    total += points;
    std::cout << fmt::format("  {:<78} {:>5}/{:<5} right  {:5.1f} / {:.0f}\n", p.name, p.right, p.asked,
                             points, p.weight);
  }
  std::cout << fmt::format("  total {:.1f} / 100\n", total);
  return 0;
}
