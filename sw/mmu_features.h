// mmu_features.h: what an MMU implements, as the privileged spec lets it
// choose: its paging modes and the translation extensions Svnapot, Svpbmt
// and Svadu. The reference holds a device to exactly this hart:
//   - a satp write of a MODE it lacks has no effect (satp is WARL);
//   - without Svnapot, PTE bit 63 (N) is reserved: set, it is a page fault;
//   - without Svpbmt, PTE bits 62:61 (PBMT) are reserved the same way;
//   - without Svadu, menvcfg.ADUE reads 0: a missing A, or D on a store,
//     is a page fault (Svade), whatever software asks for.
// Devices declare it as text ("sv39 svnapot"); empty means all of its XLEN.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sw/paging.h"

namespace vmsim {

struct MmuFeatures {
  unsigned xlen = 64;
  uint32_t modes = 0;  // one bit per PagingMode value; Bare is always implemented
  bool svnapot = false;
  bool svpbmt = false;
  bool svadu = false;

  // Every mode of the XLEN (Sv39/48/57, or Sv32) and every extension (RV64).
  static MmuFeatures all(unsigned xlen);
  bool implements(PagingMode m) const { return m == PagingMode::kBare || ((modes >> unsigned(m)) & 1); }
  std::string to_string() const;  // "sv39 svnapot", the form parse_mmu_features reads
};

// Reads "sv39 svnapot" (names separated by spaces or commas; empty: all of
// the XLEN). Unknown names, a mode of the other XLEN, or an RV64 extension
// on RV32 give nullopt and the reason in `error`.
std::optional<MmuFeatures> parse_mmu_features(std::string_view text, unsigned xlen, std::string& error);

}  // namespace vmsim
