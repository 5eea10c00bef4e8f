// reference_mmu.h: the golden model the RTL is checked against.
//
// Written from the RISC-V privileged spec (docs/translation.md states the
// rules it follows), not from the RTL. It models:
// - the walk, in Spike's check order, for Bare, Sv39, Sv48 and Sv57, or for
//   Bare and Sv32 when built for XLEN 32;
// - the TLB's observable behaviour: which requests hit. The contract it
//   follows is the one mmu_top documents: a fully associative TLB of N
//   entries, refilled into the first invalid entry or else the tree-PLRU
//   victim; a hit is used only when its cached rights allow the access (and D
//   is set for a store), otherwise the walk is redone and overwrites that
//   entry; faults are never cached; the lowest matching index wins.
// It reads memory but never writes it: a Svadu A/D update it expects is
// returned in RefResult so the checker can verify the hardware made it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sw/mmu_port.h"
#include "sw/paging.h"
#include "sw/phys_memory.h"

namespace vmsim {

struct WalkStep {
  unsigned level;
  PhysAddr pte_addr;
  uint64_t pte;
};

// Why a translation faulted, for coverage and for readable mismatch reports.
enum class WalkFault : uint8_t {
  kNone,
  kBareOutOfRange,    // Bare mode address above the physical address space
  kReservedMode,      // satp.MODE not implemented
  kNonCanonical,      // VA bits above the mode's width are not a sign extension
  kPteAccess,         // a PTE address is outside physical memory (access fault)
  kReservedBits,      // reserved PTE bits 60:54, or PBMT = 3
  kPointerBits,       // non-leaf PTE with D, A, U, N or PBMT set
  kLastLevelPointer,  // a pointer PTE at level 0
  kInvalid,           // V = 0, or W without R
  kNapot,             // N set but not a level-0 leaf with PPN[3:0] = 1000
  kPrivilege,         // U/S rule (and SUM)
  kPermission,        // R/W/X (and MXR)
  kMisaligned,        // superpage PPN not aligned
  kAccessedDirty,     // A clear, or D clear on a store, under Svade
};
inline constexpr unsigned kWalkFaults = 14;
std::string_view to_string(WalkFault k);

struct RefResult {
  Translation t;
  WalkFault kind = WalkFault::kNone;
  bool walked = false;
  int leaf_level = -1;                // level of the leaf found, or where a walk faulted
  bool napot = false;                 // the leaf is a 64 KiB Svnapot page
  std::vector<WalkStep> steps;        // PTEs read by the walk
  std::optional<WalkStep> ad_update;  // Svadu write the hardware must make
};

class ReferenceMmu {
 public:
  // xlen 64: satp selects Bare/Sv39/Sv48/Sv57; xlen 32: Bare/Sv32.
  ReferenceMmu(PhysMemory& mem, unsigned tlb_entries, unsigned xlen = 64);

  // What the MMU must answer for this request, from the architectural state
  // (satp, control bits, memory); the TLB model only predicts hit or miss.
  RefResult expect(VirtAddr va, Access access, Priv priv);
  void write_satp(uint64_t satp) { satp_ = satp; }
  void set_control(const TranslationControl& ctl) { ctl_ = ctl; }
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid);

 private:
  struct Entry {
    bool valid = false;
    uint64_t vpn = 0;
    unsigned level = 0;
    bool napot = false;
    uint16_t asid = 0;
    bool global = false;
    uint64_t ppn = 0;
    uint64_t flags = 0;  // leaf PTE bits R/W/X/U/D
  };

  RefResult walk(VirtAddr va, Access access, Priv priv) const;
  RefResult& take_leaf(RefResult& r, uint64_t pte, unsigned level, uint64_t vaddr) const;
  bool privilege_allows(uint64_t flags, Priv priv, Access access) const;
  bool rights_allow(uint64_t flags, Access access, Priv priv) const;
  uint64_t offset_mask(unsigned level, bool napot) const;
  uint64_t effective_va(VirtAddr va) const { return xlen_ == 32 ? va.value() & 0xffff'ffff : va.value(); }
  bool matches(const Entry& e, uint64_t vpn) const;
  std::optional<unsigned> lookup(uint64_t vpn, uint16_t asid) const;
  unsigned refill_slot() const;
  void touch(unsigned idx);

  PhysMemory& mem_;
  unsigned xlen_;
  uint64_t satp_ = 0;
  TranslationControl ctl_;
  std::vector<Entry> tlb_;
  std::vector<bool> plru_;  // tree bits, root at 0, children 2n+1 / 2n+2
  unsigned plru_levels_;
};

}  // namespace vmsim
