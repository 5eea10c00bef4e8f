#include "testbench/check/spec_walk.h"

namespace vmsim {

std::string_view to_string(WalkFault k) {
  static constexpr std::string_view kNames[kWalkFaults] = {
      "none",          "bare_out_of_range", "reserved_mode",      "non_canonical", "pte_access",
      "reserved_bits", "pointer_bits",      "last_level_pointer", "invalid",       "napot",
      "privilege",     "permission",        "misaligned",         "accessed_dirty"};
  return unsigned(k) < kWalkFaults ? kNames[unsigned(k)] : "?";
}

bool SpecWalk::privilege_allows(uint64_t f, Priv priv, Access access, bool sum) {
  const bool s = priv == Priv::kSupervisor;
  if (f & pte::kU) return !(s && (access == Access::kFetch || !sum));
  return s;
}

bool SpecWalk::rights_allow(uint64_t f, Access access, Priv priv, const TranslationControl& ctl) {
  if (!privilege_allows(f, priv, access, ctl.sum)) return false;
  switch (access) {
    case Access::kFetch:
      return f & pte::kX;
    case Access::kStore:
      return f & pte::kW;
    case Access::kLoad:
      return (f & pte::kR) || (ctl.mxr && (f & pte::kX));
  }
  return false;
}

RefResult SpecWalk::translate(uint64_t satp_value, const TranslationControl& ctl, VirtAddr va, Access access,
                              Priv priv) const {
  const SatpFields satp = decode_satp(satp_value, xlen_);
  RefResult r;
  if (!satp.implemented) {  // a reserved MODE: no translation is available
    r.t.fault = true;
    r.t.cause = page_fault_cause(access);
    r.kind = WalkFault::kReservedMode;
    return r;
  }
  if (satp.mode == PagingMode::kBare) {
    const uint64_t pa = effective_va(va);
    r.t.fault = (pa >> 56) != 0;
    r.t.cause = r.t.fault ? access_fault_cause(access) : Cause::kNone;
    r.kind = r.t.fault ? WalkFault::kBareOutOfRange : WalkFault::kNone;
    r.t.pa = r.t.fault ? PhysAddr{} : PhysAddr{pa};
    return r;
  }
  return walk(satp.mode, int(levels_of(satp.mode)) - 1, satp.root, ctl, va, access, priv);
}

RefResult SpecWalk::translate_from(uint64_t satp_value, const TranslationControl& ctl, VirtAddr va,
                                   Access access, Priv priv, unsigned level, Ppn table, bool global) const {
  const SatpFields satp = decode_satp(satp_value, xlen_);
  RefResult r = walk(satp.mode, int(level) - 1, table, ctl, va, access, priv);
  r.start_level = level;
  r.start_global = global;
  return r;
}

RefResult SpecWalk::walk(PagingMode mode, int first, Ppn table, const TranslationControl& ctl, VirtAddr va,
                         Access access, Priv priv) const {
  RefResult r;
  r.walked = true;
  r.t.fault = true;
  r.t.cause = page_fault_cause(access);
  const unsigned idx_bits = idx_bits_of(mode), pte_bytes = pte_bytes_of(mode);
  const uint64_t vaddr = effective_va(va);
  auto fault = [&r](WalkFault k, int level) -> RefResult& {
    r.kind = k;
    r.leaf_level = level;
    return r;
  };
  if (!is_canonical(VirtAddr{vaddr}, mode)) return fault(WalkFault::kNonCanonical, -1);
  uint64_t base = table.value();
  for (int i = first; i >= 0; --i) {
    const uint64_t idx = (vaddr >> (kPageShift + idx_bits * unsigned(i))) & ((uint64_t{1} << idx_bits) - 1);
    const PhysAddr addr{(base << kPageShift) + idx * pte_bytes};
    if (!mem_.contains(addr, pte_bytes)) {
      r.t.cause = access_fault_cause(access);
      return fault(WalkFault::kPteAccess, i);
    }
    uint64_t e = mem_.read_word(addr, pte_bytes);  // Sv32: 32 bits, zero-extended
    r.steps.push_back({unsigned(i), addr, e});
    if (reserved_bits_set(e)) return fault(WalkFault::kReservedBits, i);
    if (pte::is_pointer(e)) {
      if (e & (pte::kD | pte::kA | pte::kU | pte::kN | pte::kPbmtMask))
        return fault(WalkFault::kPointerBits, i);
      if (i == 0) return fault(WalkFault::kLastLevelPointer, i);
      base = pte::ppn(e).value();
      continue;
    }
    if (const WalkFault k = check_leaf(mode, e, unsigned(i), ctl, access, priv); k != WalkFault::kNone) {
      const bool rights = k == WalkFault::kPrivilege || k == WalkFault::kPermission;
      r.napot = e & pte::kN;
      r.leaf_cacheable =
          rights && (e & pte::kA) && !(pte::ppn(e).value() & leaf_offset_mask(mode, unsigned(i), false));
      return fault(k, i);
    }
    const uint64_t need = pte::kA | (access == Access::kStore ? pte::kD : 0);
    if ((e & need) != need) {
      if (!ctl.svadu || !features_.svadu) return fault(WalkFault::kAccessedDirty, i);
      r.ad_update = WalkStep{unsigned(i), addr, e | need};
    }
    return take_leaf(mode, r, r.leaf_pte(), unsigned(i), vaddr);
  }
  return r;  // ran out of levels on a pointer (already returned above)
}

bool SpecWalk::reserved_bits_set(uint64_t e) const {
  if (xlen_ == 32) return false;  // every Sv32 PTE bit has a meaning
  const uint64_t pbmt = (e & pte::kPbmtMask) >> pte::kPbmtShift;
  if ((e & pte::kReservedMask) || pbmt == 3) return true;
  if (!features_.svpbmt && pbmt != 0) return true;
  return !features_.svnapot && (e & pte::kN);
}

WalkFault SpecWalk::check_leaf(PagingMode mode, uint64_t e, unsigned level, const TranslationControl& ctl,
                               Access access, Priv priv) {
  const uint64_t ppn = pte::ppn(e).value();
  if (!(e & pte::kV) || ((e & pte::kW) && !(e & pte::kR))) return WalkFault::kInvalid;
  if ((e & pte::kN) && (level != 0 || (ppn & 0xf) != 0x8)) return WalkFault::kNapot;
  if (!privilege_allows(e, priv, access, ctl.sum)) return WalkFault::kPrivilege;
  if (!rights_allow(e, access, priv, ctl)) return WalkFault::kPermission;
  if (ppn & leaf_offset_mask(mode, level, false)) return WalkFault::kMisaligned;
  return WalkFault::kNone;
}

// A leaf that passed every check: the physical address, with the low PPN
// bits of a superpage or napot page taken from the VPN.
RefResult& SpecWalk::take_leaf(PagingMode mode, RefResult& r, uint64_t pte, unsigned level, uint64_t vaddr) {
  const bool napot = pte & pte::kN;
  const uint64_t mask = leaf_offset_mask(mode, level, napot);
  const uint64_t vpn = vaddr >> kPageShift, ppn = pte::ppn(pte).value();
  r.t.fault = false;
  r.t.cause = Cause::kNone;
  r.t.pa = PhysAddr{(((ppn & ~mask) | (vpn & mask)) << kPageShift) | (vaddr & (kPageSize - 1))};
  r.leaf_level = int(level);
  r.napot = napot;
  return r;
}

}  // namespace vmsim
