// paging.h: RISC-V page-table geometry and PTE encoding, as the privileged
// spec defines them. Used by the runtime to build tables; the checker keeps
// its own walk (testbench/reference_mmu) and shares only these constants.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sw/types.h"

namespace vmsim {

enum class PagingMode : uint8_t { kBare = 0, kSv39 = 8, kSv48 = 9, kSv57 = 10 };

constexpr unsigned levels_of(PagingMode m) {
  return m == PagingMode::kSv39 ? 3 : m == PagingMode::kSv48 ? 4 : m == PagingMode::kSv57 ? 5 : 0;
}
constexpr unsigned va_bits_of(PagingMode m) { return kPageShift + 9 * levels_of(m); }
constexpr uint64_t level_page_size(unsigned level) { return kPageSize << (9 * level); }

std::optional<PagingMode> parse_paging_mode(std::string_view name);  // "sv39", ...
std::string_view to_string(PagingMode m);

// True when va's bits 63..va_bits-1 are all equal (RV64 canonical form).
bool is_canonical(VirtAddr va, PagingMode m);

namespace pte {
inline constexpr uint64_t kV = 1u << 0, kR = 1u << 1, kW = 1u << 2, kX = 1u << 3, kU = 1u << 4,
                          kG = 1u << 5, kA = 1u << 6, kD = 1u << 7;
inline constexpr unsigned kPpnShift = 10;
inline constexpr uint64_t kPpnMask = (uint64_t{1} << 44) - 1;
inline constexpr uint64_t kReservedMask = uint64_t{0x7f} << 54;
inline constexpr uint64_t kPbmtMask = uint64_t{3} << 61;
inline constexpr uint64_t kN = uint64_t{1} << 63;

constexpr Ppn ppn(uint64_t e) { return Ppn{(e >> kPpnShift) & kPpnMask}; }
constexpr uint64_t make(Ppn p, uint64_t flags) { return (p.value() << kPpnShift) | flags; }
constexpr bool is_pointer(uint64_t e) { return (e & (kV | kR | kW | kX)) == kV; }
}  // namespace pte

// satp (RV64): MODE 63:60, ASID 59:44, PPN 43:0.
constexpr uint64_t make_satp(PagingMode m, Asid asid, Ppn root) {
  return (uint64_t(m) << 60) | ((asid.value() & 0xffff) << 44) | (root.value() & pte::kPpnMask);
}

}  // namespace vmsim
