// checked_mmu.h: the checker. An MmuPort that forwards every call to the
// device under test and to the ReferenceMmu, and compares each translation.
//
// Two levels:
//   architectural (always)  the physical address, or the fault and its cause,
//                           is the spec walk's, or one a cached translation
//                           may legally give (software left it unfenced);
//                           and under Svadu, the A/D write-back the walk
//                           needed is in memory, unless the answer may have
//                           come from a cache.
//   organization            when the reference knows the device's TLB (it was
//                           given one): also hit or miss, and exactly the
//                           predicted answer (a replacement bug shows here).
//
// It counts mismatches and keeps the first in full: VA, access, privilege,
// expected, got and the PTEs the spec walk read. Mismatches are also counted
// by class (what was wrong, the spec's outcome, the device's), with the first
// of each class in full: a foreign MMU's differences, sorted.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "testbench/check/reference_mmu.h"
#include "testbench/check/translation_coverage.h"

namespace vmsim {

struct CheckStats {
  uint64_t translations = 0;
  uint64_t mismatches = 0;
  std::array<uint64_t, 5> walks_by_leaf_level{};  // successful walks, by leaf level
  uint64_t walk_faults = 0;
  uint64_t cached_answers = 0;  // legal only as a cached translation (the spec walk disagreed)
  // By access type (Access: load, store, fetch): translations, and the
  // device's TLB hits among them.
  std::array<uint64_t, 3> by_access{}, hits_by_access{};
};

class CheckedMmu final : public MmuPort {
 public:
  // `org`: the device's TLB organization, if the reference knows it (checks
  // hit/miss too); nullptr checks architectural results only.
  // `features`: what the device implements (sw/mmu_features.h).
  CheckedMmu(MmuPort& dut, PhysMemory& mem, const MmuFeatures& features, std::unique_ptr<TlbOrganization> org)
      : dut_(dut), mem_(mem), ref_(mem, features, std::move(org)), xlen_(features.xlen) {}

  Translation translate(VirtAddr va, Access access, Priv priv) override;
  // With a window of 1, translate() for each. With more in flight, which
  // structure hits depends on how the device interleaves lookups and fills,
  // which the reference does not model: every answer is still checked
  // against the spec walk, but hit and miss are no longer predicted, from
  // this batch on (checks_organization() turns false).
  void translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) override;
  // The window the device's driver keeps (DriverOptions::window).
  void set_window(unsigned w) { window_ = w; }
  void write_satp(uint64_t satp) override;
  void set_control(const TranslationControl& ctl) override;
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override;

  uint64_t cycles() const override { return dut_.cycles(); }
  const CheckStats& stats() const { return stats_; }
  // Each TLB's lookups, hits and evictions, as the reference's model of the
  // organization counts them (exact, since hit, miss and the level that hit
  // are checked); null when the organization is unknown.
  const TlbCounts* tlb_counts() const { return organization_off_ ? nullptr : ref_.tlb_counts(); }
  bool checks_organization() const { return ref_.knows_organization() && !organization_off_; }
  // Samples every translation into `cov` from now on (nullptr: stop).
  void collect_coverage(TranslationCoverage* cov) { coverage_ = cov; }
  const std::string& first_mismatch() const { return first_; }
  struct MismatchClass {
    uint64_t count = 0;
    std::string first;  // the first of the class, in full
  };
  // By class name, e.g. "translation differs: expected pointer_bits
  // (load_page_fault), got a translation".
  const std::map<std::string, MismatchClass>& mismatch_classes() const { return classes_; }

 private:
  // What is wrong with `got`, or empty.
  std::string check_architecture(VirtAddr va, Access access, Priv priv, const Expectation& exp,
                                 const Translation& got);
  std::string check_organization(const Expectation& exp, const Translation& got);
  // Counts and checks one answer against its expectation.
  void judge(VirtAddr va, Access access, Priv priv, const Expectation& exp, const Translation& got);
  std::string missing_write_back(const Expectation& exp);
  void count(const Expectation& exp, const Translation& got);
  void report(VirtAddr va, Access access, Priv priv, const Expectation& exp, const Translation& got,
              const std::string& what);

  uint64_t pte_at(PhysAddr a) { return mem_.read_word(a, xlen_ / 8); }

  MmuPort& dut_;
  PhysMemory& mem_;
  ReferenceMmu ref_;
  CheckStats stats_;
  std::string first_;
  std::map<std::string, MismatchClass> classes_;
  TranslationCoverage* coverage_ = nullptr;
  unsigned xlen_;
  unsigned window_ = 1;
  bool organization_off_ = false;  // a windowed batch ran
  bool in_batch_ = false;          // judging the answers of a windowed batch
  uint64_t satp_ = 0;
};

std::string describe(const Translation& t);

}  // namespace vmsim
