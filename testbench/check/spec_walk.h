// spec_walk.h: a translation as the RISC-V privileged spec defines it,
// computed from the architectural state alone: satp, the control bits (SUM,
// MXR, Svadu) and physical memory, for a hart that implements `features`
// (sw/mmu_features.h: without Svnapot or Svpbmt their PTE bits are
// reserved; without Svadu, missing A/D bits always fault).
//
// There is no TLB here. This is the answer a machine that caches nothing
// must give, and every cached answer is judged against it. The checks come
// in the spec's order, as Spike's mmu_t::walk makes them (the table in
// docs/translation.md): Bare and reserved modes, the canonical address, then
// per level reserved bits, pointers, V/R/W, napot, U/S, R/W/X with MXR,
// superpage alignment, and A/D. It reads memory but never writes it: a
// Svadu A/D update is returned, so the checker can verify the device made it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sw/mmu_features.h"
#include "sw/mmu_port.h"
#include "sw/paging.h"
#include "sw/phys_memory.h"

namespace vmsim {

// VPN bits a leaf at `level` (or a napot leaf) takes from the address:
// 9 per level (10 in Sv32), and the low 4 of a napot page.
constexpr uint64_t leaf_offset_mask(PagingMode m, unsigned level, bool napot) {
  return ((uint64_t{1} << (idx_bits_of(m) * level)) - 1) | (napot ? 0xf : 0);
}
// The address as the hart sees it in a mode (Sv32: the low 32 bits).
constexpr uint64_t effective_va(PagingMode m, VirtAddr va) {
  return is_sv32(m) ? va.value() & 0xffff'ffff : va.value();
}

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

// The PTEs a walk read: at most one per level, kept in place (a walk per
// translation must not allocate).
class WalkSteps {
 public:
  void push_back(const WalkStep& s) { items_[n_++] = s; }
  bool empty() const { return n_ == 0; }
  size_t size() const { return n_; }
  const WalkStep& back() const { return items_[n_ - 1]; }
  const WalkStep* begin() const { return items_.data(); }
  const WalkStep* end() const { return items_.data() + n_; }

 private:
  std::array<WalkStep, 5> items_{};
  unsigned n_ = 0;
};

struct RefResult {
  Translation t;
  WalkFault kind = WalkFault::kNone;
  bool walked = false;                // a page-table walk was needed (not Bare, not a reserved mode)
  int leaf_level = -1;                // level of the leaf found, or where a walk faulted
  bool napot = false;                 // the leaf is a 64 KiB Svnapot page
  WalkSteps steps;                    // PTEs read by the walk
  std::optional<WalkStep> ad_update;  // Svadu write the hardware must make
  // The walk found a well-formed leaf (aligned, A set) and faulted only on
  // the rights this access has (U/S, R/W/X): an MMU may cache that leaf,
  // and judge later accesses by it, like a translation that succeeded.
  bool leaf_cacheable = false;
  // A walk that began below a pointer an MMU cached (translate_from): that
  // pointer's level (0: the walk began at the root) and the G bit seen on
  // the path down to it, which the steps here no longer show.
  unsigned start_level = 0;
  bool start_global = false;
  // The pointer PTEs the walk followed (each but the last step; the last too
  // when the table it named was outside memory): what page-walk caches fill.
  // The PTE reads an MMU makes for this walk: the steps, and the read that
  // memory rejected when the walk ended on one.
  size_t pte_reads() const { return steps.size() + (kind == WalkFault::kPteAccess ? 1 : 0); }
  size_t pointers_followed() const {
    if (steps.empty()) return 0;
    return kind == WalkFault::kPteAccess ? steps.size() : steps.size() - 1;
  }
  // The leaf PTE as it stands after the walk (its A/D update included).
  uint64_t leaf_pte() const { return ad_update ? ad_update->pte : steps.back().pte; }
};

class SpecWalk {
 public:
  // satp selects Bare or one of the modes `features` implements (the
  // caller keeps satp to those: a write of another MODE has no effect).
  SpecWalk(PhysMemory& mem, const MmuFeatures& features)
      : mem_(mem), features_(features), xlen_(features.xlen) {}

  RefResult translate(uint64_t satp, const TranslationControl& ctl, VirtAddr va, Access access,
                      Priv priv) const;
  // The walk an MMU makes from a pointer it cached (a page-walk cache): the
  // pointer read at `level` named the table at `table`, with G seen on the
  // way (`global`); the walk reads level - 1 of that table first. The spec
  // lets an MMU cache pointers as it caches leaves, so until software fences
  // it, this answer is legal even where the root's walk now differs. satp
  // must hold a translating mode.
  RefResult translate_from(uint64_t satp, const TranslationControl& ctl, VirtAddr va, Access access,
                           Priv priv, unsigned level, Ppn table, bool global) const;

  // The U/S rule, then R/W/X with MXR, for a leaf's flags: shared with the
  // checks on cached translations, which apply today's rules to an old PTE.
  static bool privilege_allows(uint64_t flags, Priv priv, Access access, bool sum);
  static bool rights_allow(uint64_t flags, Access access, Priv priv, const TranslationControl& ctl);
  // The address as the hart sees it (RV32: the low 32 bits).
  uint64_t effective_va(VirtAddr va) const { return xlen_ == 32 ? va.value() & 0xffff'ffff : va.value(); }
  unsigned xlen() const { return xlen_; }
  const MmuFeatures& features() const { return features_; }

 private:
  // The walk from level `first` of the table at `base` down.
  RefResult walk(PagingMode mode, int first, Ppn base, const TranslationControl& ctl, VirtAddr va,
                 Access access, Priv priv) const;
  // Checks one leaf; a fault kind, or kNone when it translates.
  static WalkFault check_leaf(PagingMode mode, uint64_t pte, unsigned level, const TranslationControl& ctl,
                              Access access, Priv priv);
  // The PTE bits this hart reserves: 60:54, and N and PBMT without their extensions.
  bool reserved_bits_set(uint64_t pte) const;
  static RefResult& take_leaf(PagingMode mode, RefResult& r, uint64_t pte, unsigned level, uint64_t vaddr);

  PhysMemory& mem_;
  MmuFeatures features_;
  unsigned xlen_;
};

}  // namespace vmsim
