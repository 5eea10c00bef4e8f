// translation_coverage.h: functional coverage of translations.
//
// The cross: mode x outcome x page size x access type x privilege, where the
// outcome is success or one of the fault kinds (reference_mmu.h), and the page
// size is the level of the leaf found, or where the walk stopped (napot pages
// are their own size). Bins that cannot occur are not in the model: a
// last-level pointer exists only at level 0, a misaligned superpage only above
// it, a non-canonical address has no level. holes() lists the legal bins no
// translation has hit.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "testbench/check/reference_mmu.h"

namespace vmsim {

class TranslationCoverage {
 public:
  void sample(PagingMode mode, const RefResult& r, Access access, Priv priv);

  // Every legal bin of a mode on a hart implementing `features` (without
  // Svnapot there are no napot pages and no napot faults: N is reserved).
  static std::vector<std::string> legal_bins(PagingMode mode, const MmuFeatures& features);
  std::vector<std::string> holes(PagingMode mode, const MmuFeatures& features) const;
  uint64_t hits(const std::string& bin) const;
  size_t bins_hit() const { return counts_.size(); }

  static std::string bin_name(PagingMode mode, WalkFault kind, int level, bool napot, Access access,
                              Priv priv);

 private:
  std::map<std::string, uint64_t> counts_;
};

}  // namespace vmsim
