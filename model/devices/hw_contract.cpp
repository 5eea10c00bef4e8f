// hw_contract.cpp: the hardware/software contract, checked at compile time.
//
// rtl/mmu_pkg.sv is the source of truth for every encoding the RTL and the
// software share: exception causes, the access encoding, satp modes and
// layout, PTE bits and widths. Its `verilator public` constants and enums
// appear in the Verilated model's headers; here each one is compared with the
// software's copy in sw/types.h and sw/paging.h. Change either side alone and
// the build stops on the static_assert that names the field.
//
// Compiled into each build of vmsim's MMU (VMSIM_MMU_TOP names it: Vmmu_top
// for RV64, Vmmu_top32 for RV32), so each build is checked.
#include <cstdint>

#include "model/device.h"
#include "model/devices/verilated_names.h"
#include "sw/paging.h"
#include "sw/types.h"
#include VMSIM_VERILATED_HEADER(VMSIM_CAT(VMSIM_MMU_TOP, _mmu_pkg))
#include VMSIM_VERILATED_HEADER(VMSIM_CAT(VMSIM_MMU_TOP, _mmu_top))

namespace vmsim {
namespace {

using Pkg = VMSIM_CAT(VMSIM_MMU_TOP, _mmu_pkg);
using Top = VMSIM_CAT(VMSIM_MMU_TOP, _mmu_top);

// The software's value, then the hardware's; the message names both.
#define VMSIM_SAME(sw, hw) static_assert(uint64_t(sw) == uint64_t(hw), #sw " differs from the RTL's " #hw)

constexpr uint64_t bit(unsigned n) {
  return uint64_t{1} << n;
}
constexpr uint64_t mask(unsigned width) {
  return bit(width) - 1;
}

// Exception causes (the resp_cause_o port).
VMSIM_SAME(Cause::kNone, Pkg::CAUSE_NONE);
VMSIM_SAME(Cause::kFetchAccessFault, Pkg::CAUSE_FETCH_ACCESS);
VMSIM_SAME(Cause::kLoadAccessFault, Pkg::CAUSE_LOAD_ACCESS);
VMSIM_SAME(Cause::kStoreAccessFault, Pkg::CAUSE_STORE_ACCESS);
VMSIM_SAME(Cause::kFetchPageFault, Pkg::CAUSE_FETCH_PAGE);
VMSIM_SAME(Cause::kLoadPageFault, Pkg::CAUSE_LOAD_PAGE);
VMSIM_SAME(Cause::kStorePageFault, Pkg::CAUSE_STORE_PAGE);

// The access encoding (the req_access_i port).
VMSIM_SAME(Access::kLoad, Pkg::ACCESS_LOAD);
VMSIM_SAME(Access::kStore, Pkg::ACCESS_STORE);
VMSIM_SAME(Access::kFetch, Pkg::ACCESS_FETCH);

// satp.MODE values and the satp layout.
VMSIM_SAME(PagingMode::kBare, Pkg::SATP_MODE_BARE);
VMSIM_SAME(PagingMode::kSv32, Pkg::SATP_MODE_SV32);
VMSIM_SAME(PagingMode::kSv39, Pkg::SATP_MODE_SV39);
VMSIM_SAME(PagingMode::kSv48, Pkg::SATP_MODE_SV48);
VMSIM_SAME(PagingMode::kSv57, Pkg::SATP_MODE_SV57);
VMSIM_SAME(satp::kModeShift64, Pkg::SATP64_MODE_LSB);
VMSIM_SAME(satp::kAsidShift64, Pkg::SATP64_ASID_LSB);
VMSIM_SAME(satp::kAsidMask64, mask(Pkg::ASID_W));
VMSIM_SAME(satp::kModeBit32, Pkg::SATP32_MODE_BIT);
VMSIM_SAME(satp::kAsidShift32, Pkg::SATP32_ASID_LSB);
VMSIM_SAME(satp::kAsidMask32, mask(Pkg::SATP32_ASID_W));
VMSIM_SAME(satp::kPpnMask32, mask(Pkg::SATP32_PPN_W));
static_assert(make_satp(PagingMode::kSv48, Asid{0xffff}, Ppn{0}) ==
              ((uint64_t{Pkg::SATP_MODE_SV48} << Pkg::SATP64_MODE_LSB) |
               (mask(Pkg::ASID_W) << Pkg::SATP64_ASID_LSB)));

// PTE bits and fields.
VMSIM_SAME(pte::kV, bit(Pkg::PTE_V));
VMSIM_SAME(pte::kR, bit(Pkg::PTE_R));
VMSIM_SAME(pte::kW, bit(Pkg::PTE_W));
VMSIM_SAME(pte::kX, bit(Pkg::PTE_X));
VMSIM_SAME(pte::kU, bit(Pkg::PTE_U));
VMSIM_SAME(pte::kG, bit(Pkg::PTE_G));
VMSIM_SAME(pte::kA, bit(Pkg::PTE_A));
VMSIM_SAME(pte::kD, bit(Pkg::PTE_D));
VMSIM_SAME(pte::kN, bit(Pkg::PTE_N));
VMSIM_SAME(pte::kPpnShift, Pkg::PTE_PPN_LSB);
VMSIM_SAME(pte::kPpnMask, mask(Pkg::PPN_W));
VMSIM_SAME(pte::kReservedMask, mask(Pkg::PTE_RSVD_W) << Pkg::PTE_RSVD_LSB);
VMSIM_SAME(pte::kPbmtMask, uint64_t{3} << Pkg::PTE_PBMT_LSB);

// Geometry.
VMSIM_SAME(kPageShift, Pkg::PAGE_SHIFT);
static_assert(idx_bits_of(PagingMode::kSv39) == Pkg::IDX_W);
static_assert(va_bits_of(PagingMode::kSv57) - kPageShift == Pkg::VPN_W);

// The build's XLEN, and a TLB geometry of powers of two, as the RTL requires.
static_assert(Top::Xlen == 32 || Top::Xlen == 64);
static_assert(Top::Walkers >= 1 && Top::Walkers <= Top::Slots && Top::Slots <= Pkg::MAX_SLOTS);
static_assert(Top::Walkers <= RtlMmuStats::kMaxWalkers && Pkg::MAX_WALKERS == RtlMmuStats::kMaxWalkers);
static_assert(Top::Ways >= 1 && (Top::Ways & (Top::Ways - 1)) == 0);
static_assert(Top::Sets >= 1 && (Top::Sets & (Top::Sets - 1)) == 0);

// The replacement policies' numbers (DeviceInfo::tlb reads Policy as one).
VMSIM_SAME(unsigned(TlbPolicy::kPlru), Pkg::REPL_PLRU);
VMSIM_SAME(unsigned(TlbPolicy::kLru), Pkg::REPL_LRU);
VMSIM_SAME(unsigned(TlbPolicy::kFifo), Pkg::REPL_FIFO);
VMSIM_SAME(unsigned(TlbPolicy::kRandom), Pkg::REPL_RANDOM);

#undef VMSIM_SAME

}  // namespace
}  // namespace vmsim
