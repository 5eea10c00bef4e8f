#include "testbench/check/translation_coverage.h"

#include <fmt/format.h>

namespace vmsim {

std::string TranslationCoverage::bin_name(PagingMode mode, WalkFault kind, int level, bool napot,
                                          Access access, Priv priv) {
  const std::string size = level < 0 ? "-" : napot ? "napot" : fmt::format("L{}", level);
  const std::string outcome = kind == WalkFault::kNone ? "ok" : std::string(to_string(kind));
  return fmt::format("{}/{}/{}/{}/{}", to_string(mode), outcome, size, to_string(access), to_string(priv));
}

void TranslationCoverage::sample(PagingMode mode, const RefResult& r, Access access, Priv priv) {
  if (levels_of(mode) == 0) return;  // Bare and reserved modes are not part of the cross
  ++counts_[bin_name(mode, r.kind, r.leaf_level, r.napot && r.kind == WalkFault::kNone, access, priv)];
}

std::vector<std::string> TranslationCoverage::legal_bins(PagingMode mode, const MmuFeatures& features) {
  std::vector<std::string> bins;
  const int levels = int(levels_of(mode));
  auto each_access = [&](WalkFault k, int level, bool napot) {
    for (Access a : {Access::kLoad, Access::kStore, Access::kFetch}) {
      for (Priv p : {Priv::kUser, Priv::kSupervisor}) bins.push_back(bin_name(mode, k, level, napot, a, p));
    }
  };
  for (int l = 0; l < levels; ++l) each_access(WalkFault::kNone, l, false);
  // Sv32 PTEs have no N, PBMT or reserved bits, and 32-bit addresses have no
  // canonical form: those bins exist only in the RV64 modes.
  const bool rv64 = !is_sv32(mode);
  const bool napot = rv64 && features.svnapot;
  if (napot) each_access(WalkFault::kNone, 0, true);
  if (rv64) each_access(WalkFault::kNonCanonical, -1, false);
  for (WalkFault k :
       {WalkFault::kPteAccess, WalkFault::kReservedBits, WalkFault::kPointerBits, WalkFault::kInvalid,
        WalkFault::kNapot, WalkFault::kPrivilege, WalkFault::kPermission, WalkFault::kAccessedDirty}) {
    if (!rv64 && k == WalkFault::kReservedBits) continue;
    if (!napot && k == WalkFault::kNapot) continue;
    for (int l = 0; l < levels; ++l) each_access(k, l, false);
  }
  each_access(WalkFault::kLastLevelPointer, 0, false);
  for (int l = 1; l < levels; ++l) each_access(WalkFault::kMisaligned, l, false);
  return bins;
}

std::vector<std::string> TranslationCoverage::holes(PagingMode mode, const MmuFeatures& features) const {
  std::vector<std::string> out;
  for (const std::string& b : legal_bins(mode, features)) {
    if (!counts_.count(b)) out.push_back(b);
  }
  return out;
}

uint64_t TranslationCoverage::hits(const std::string& bin) const {
  auto it = counts_.find(bin);
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace vmsim
