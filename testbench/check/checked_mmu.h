// checked_mmu.h: the checker. An MmuPort that forwards every call to the
// design under test and to the ReferenceMmu, and compares each translation:
// fault or physical address, cause, TLB hit or miss, and (Svadu) the A/D
// write-back the hardware must have made to memory.
//
// It counts mismatches and keeps the first in full: VA, access, privilege,
// expected, got and the PTEs the reference walked.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "testbench/check/reference_mmu.h"
#include "testbench/check/translation_coverage.h"

namespace vmsim {

struct CheckStats {
  uint64_t translations = 0;
  uint64_t mismatches = 0;
  std::array<uint64_t, 5> walks_by_leaf_level{};  // successful walks, by leaf level
  uint64_t walk_faults = 0;
};

class CheckedMmu final : public MmuPort {
 public:
  CheckedMmu(MmuPort& dut, PhysMemory& mem, unsigned tlb_entries, unsigned xlen = 64)
      : dut_(dut), mem_(mem), ref_(mem, tlb_entries, xlen), xlen_(xlen) {}

  Translation translate(VirtAddr va, Access access, Priv priv) override;
  void write_satp(uint64_t satp) override;
  void set_control(const TranslationControl& ctl) override;
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override;

  uint64_t cycles() const override { return dut_.cycles(); }
  const CheckStats& stats() const { return stats_; }
  // Samples every translation into `cov` from now on (nullptr: stop).
  void collect_coverage(TranslationCoverage* cov) { coverage_ = cov; }
  const std::string& first_mismatch() const { return first_; }

 private:
  void report(VirtAddr va, Access access, Priv priv, const RefResult& exp, const Translation& got,
              const std::string& what);

  uint64_t pte_at(PhysAddr a) { return mem_.read_word(a, xlen_ / 8); }

  MmuPort& dut_;
  PhysMemory& mem_;
  ReferenceMmu ref_;
  CheckStats stats_;
  std::string first_;
  TranslationCoverage* coverage_ = nullptr;
  unsigned xlen_;
  uint64_t satp_ = 0;
};

std::string describe(const Translation& t);

}  // namespace vmsim
