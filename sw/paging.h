// paging.h: RISC-V page-table geometry and PTE encoding, as the privileged
// spec defines them. Used by the runtime to build tables; the checker keeps
// its own walk (testbench/reference_mmu) and shares only these constants.
//
// The hardware has the same encodings in rtl/mmu_pkg.sv. Those are the
// source of truth: model/hw_contract.cpp static_asserts every constant here
// (and Cause, Access in types.h) against the Verilated model's exports, so a
// change on one side alone fails the build.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sw/types.h"

namespace vmsim {

// Values are the satp.MODE encodings (Sv32 is RV32's MODE=1).
enum class PagingMode : uint8_t { kBare = 0, kSv32 = 1, kSv39 = 8, kSv48 = 9, kSv57 = 10 };

constexpr unsigned levels_of(PagingMode m) {
  switch (m) {
    case PagingMode::kSv32:
      return 2;
    case PagingMode::kSv39:
      return 3;
    case PagingMode::kSv48:
      return 4;
    case PagingMode::kSv57:
      return 5;
    default:
      return 0;
  }
}
constexpr bool is_sv32(PagingMode m) {
  return m == PagingMode::kSv32;
}
constexpr unsigned xlen_of(PagingMode m) {
  return is_sv32(m) ? 32 : 64;
}
constexpr unsigned idx_bits_of(PagingMode m) {
  return is_sv32(m) ? 10 : 9;
}  // VPN bits per level
constexpr unsigned pte_bytes_of(PagingMode m) {
  return is_sv32(m) ? 4 : 8;
}
constexpr unsigned va_bits_of(PagingMode m) {
  return kPageShift + idx_bits_of(m) * levels_of(m);
}
// Bytes mapped by one leaf at `level` (Sv32: 4 KiB, 4 MiB; Sv39: 4 KiB, 2 MiB, 1 GiB, ...).
constexpr uint64_t page_size(PagingMode m, unsigned level) {
  return kPageSize << (idx_bits_of(m) * level);
}

std::optional<PagingMode> parse_paging_mode(std::string_view name);  // "sv39", ...
std::string_view to_string(PagingMode m);

// RV64: va's bits 63..va_bits-1 are all equal. Sv32: va fits in 32 bits.
bool is_canonical(VirtAddr va, PagingMode m);

namespace pte {
inline constexpr uint64_t kV = 1u << 0, kR = 1u << 1, kW = 1u << 2, kX = 1u << 3, kU = 1u << 4, kG = 1u << 5,
                          kA = 1u << 6, kD = 1u << 7;
inline constexpr uint64_t kFlagMask = 0xff;  // V R W X U G A D
inline constexpr unsigned kPpnShift = 10;
inline constexpr uint64_t kPpnMask = (uint64_t{1} << 44) - 1;
inline constexpr unsigned kReservedShift = 54, kPbmtShift = 61;
inline constexpr uint64_t kReservedMask = uint64_t{0x7f} << kReservedShift;
inline constexpr uint64_t kPbmtMask = uint64_t{3} << kPbmtShift;
inline constexpr uint64_t kN = uint64_t{1} << 63;

constexpr Ppn ppn(uint64_t e) {
  return Ppn{(e >> kPpnShift) & kPpnMask};
}
constexpr uint64_t make(Ppn p, uint64_t flags) {
  return (p.value() << kPpnShift) | flags;
}
constexpr bool is_pointer(uint64_t e) {
  return (e & (kV | kR | kW | kX)) == kV;
}
}  // namespace pte

// Where the PTE for `va` at `level` sits in the table at `table`.
constexpr PhysAddr pte_address(Ppn table, VirtAddr va, unsigned level, PagingMode m) {
  const unsigned bits = idx_bits_of(m);
  const uint64_t idx = (va.value() >> (kPageShift + bits * level)) & ((uint64_t{1} << bits) - 1);
  return PhysAddr{base_of(table).value() + idx * pte_bytes_of(m)};
}

// satp. RV64: MODE 63:60, ASID 59:44, PPN 43:0. RV32: MODE 31, ASID 30:22, PPN 21:0.
// The RTL's copy is mmu_pkg's SATP* constants; model/hw_contract.cpp checks they agree.
namespace satp {
inline constexpr unsigned kModeShift64 = 60, kAsidShift64 = 44;
inline constexpr uint64_t kAsidMask64 = 0xffff;
inline constexpr unsigned kModeBit32 = 31, kAsidShift32 = 22;
inline constexpr uint64_t kAsidMask32 = 0x1ff, kPpnMask32 = 0x3fffff;
}  // namespace satp

constexpr uint64_t make_satp(PagingMode m, Asid asid, Ppn root) {
  if (is_sv32(m)) {
    return (uint64_t{1} << satp::kModeBit32) | ((asid.value() & satp::kAsidMask32) << satp::kAsidShift32) |
           (root.value() & satp::kPpnMask32);
  }
  return (uint64_t(m) << satp::kModeShift64) | ((asid.value() & satp::kAsidMask64) << satp::kAsidShift64) |
         (root.value() & pte::kPpnMask);
}

struct SatpFields {
  PagingMode mode;
  Asid asid;
  Ppn root;
  bool implemented;  // false: a reserved MODE value
};
constexpr SatpFields decode_satp(uint64_t satp, unsigned xlen) {
  if (xlen == 32) {
    return {(satp >> satp::kModeBit32) & 1 ? PagingMode::kSv32 : PagingMode::kBare,
            Asid{(satp >> satp::kAsidShift32) & satp::kAsidMask32}, Ppn{satp & satp::kPpnMask32}, true};
  }
  const uint64_t mode = satp >> satp::kModeShift64;
  const bool ok = mode == 0 || mode == 8 || mode == 9 || mode == 10;
  return {PagingMode(mode), Asid{(satp >> satp::kAsidShift64) & satp::kAsidMask64}, Ppn{satp & pte::kPpnMask},
          ok};
}

}  // namespace vmsim
