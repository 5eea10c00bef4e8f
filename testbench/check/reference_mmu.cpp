#include "testbench/check/reference_mmu.h"

#include <bit>
#include <stdexcept>

namespace vmsim {

namespace {
constexpr uint64_t kVpnMask = (uint64_t{1} << 45) - 1;
}  // namespace

std::string_view to_string(WalkFault k) {
  static constexpr std::string_view kNames[kWalkFaults] = {
      "none",          "bare_out_of_range", "reserved_mode",      "non_canonical", "pte_access",
      "reserved_bits", "pointer_bits",      "last_level_pointer", "invalid",       "napot",
      "privilege",     "permission",        "misaligned",         "accessed_dirty"};
  return unsigned(k) < kWalkFaults ? kNames[unsigned(k)] : "?";
}

ReferenceMmu::ReferenceMmu(PhysMemory& mem, unsigned tlb_entries, unsigned xlen)
    : mem_(mem), xlen_(xlen), tlb_(tlb_entries), plru_(tlb_entries > 1 ? tlb_entries - 1 : 1, false) {
  if (tlb_entries == 0 || !std::has_single_bit(tlb_entries)) {
    throw std::invalid_argument("TLB entries must be a power of two");
  }
  plru_levels_ = unsigned(std::countr_zero(tlb_entries));
}

uint64_t ReferenceMmu::offset_mask(unsigned level, bool napot) const {
  const unsigned bits = xlen_ == 32 ? 10 : 9;  // VPN bits per level
  return ((uint64_t{1} << (bits * level)) - 1) | (napot ? 0xf : 0);
}

bool ReferenceMmu::privilege_allows(uint64_t f, Priv priv, Access access) const {
  const bool s = priv == Priv::kSupervisor;
  if (f & pte::kU) return !(s && (access == Access::kFetch || !ctl_.sum));
  return s;
}

bool ReferenceMmu::rights_allow(uint64_t f, Access access, Priv priv) const {
  if (!privilege_allows(f, priv, access)) return false;
  switch (access) {
    case Access::kFetch:
      return f & pte::kX;
    case Access::kStore:
      return f & pte::kW;
    case Access::kLoad:
      return (f & pte::kR) || (ctl_.mxr && (f & pte::kX));
  }
  return false;
}

RefResult ReferenceMmu::walk(VirtAddr va, Access access, Priv priv) const {
  RefResult r;
  r.walked = true;
  r.t.fault = true;
  r.t.cause = page_fault_cause(access);
  const SatpFields satp = decode_satp(satp_, xlen_);
  const PagingMode mode = satp.mode;
  const unsigned levels = levels_of(mode);
  const unsigned idx_bits = idx_bits_of(mode), pte_bytes = pte_bytes_of(mode);
  const uint64_t vaddr = effective_va(va);
  auto fault = [&r](WalkFault k, int level) -> RefResult& {
    r.kind = k;
    r.leaf_level = level;
    return r;
  };
  if (!is_canonical(VirtAddr{vaddr}, mode)) return fault(WalkFault::kNonCanonical, -1);

  uint64_t base = satp.root.value();
  for (int i = int(levels) - 1; i >= 0; --i) {
    const uint64_t idx = (vaddr >> (kPageShift + idx_bits * unsigned(i))) & ((uint64_t{1} << idx_bits) - 1);
    const PhysAddr addr{(base << kPageShift) + idx * pte_bytes};
    if (!mem_.contains(addr, pte_bytes)) {
      r.t.cause = access_fault_cause(access);
      return fault(WalkFault::kPteAccess, i);
    }
    uint64_t e = mem_.read_word(addr, pte_bytes);  // Sv32: 32 bits, zero-extended
    r.steps.push_back({unsigned(i), addr, e});
    const uint64_t ppn = pte::ppn(e).value();
    const uint64_t pbmt = (e & pte::kPbmtMask) >> pte::kPbmtShift;

    if ((e & pte::kReservedMask) || pbmt == 3) return fault(WalkFault::kReservedBits, i);
    if (pte::is_pointer(e)) {
      if (e & (pte::kD | pte::kA | pte::kU | pte::kN | pte::kPbmtMask))
        return fault(WalkFault::kPointerBits, i);
      if (i == 0) return fault(WalkFault::kLastLevelPointer, i);
      base = ppn;
      continue;
    }
    if (!(e & pte::kV) || ((e & pte::kW) && !(e & pte::kR))) return fault(WalkFault::kInvalid, i);
    if ((e & pte::kN) && (i != 0 || (ppn & 0xf) != 0x8)) return fault(WalkFault::kNapot, i);
    if (!privilege_allows(e, priv, access)) return fault(WalkFault::kPrivilege, i);
    if (!rights_allow(e, access, priv)) return fault(WalkFault::kPermission, i);
    if (ppn & offset_mask(unsigned(i), false)) return fault(WalkFault::kMisaligned, i);
    const uint64_t need = pte::kA | (access == Access::kStore ? pte::kD : 0);
    if ((e & need) != need) {
      if (!ctl_.svadu) return fault(WalkFault::kAccessedDirty, i);
      e |= need;
      r.ad_update = WalkStep{unsigned(i), addr, e};
    }
    return take_leaf(r, e, unsigned(i), vaddr);
  }
  return r;  // ran out of levels on a pointer (already returned above)
}

// A leaf that passed every check: the physical address, with the low PPN
// bits of a superpage or napot page taken from the VPN.
RefResult& ReferenceMmu::take_leaf(RefResult& r, uint64_t pte, unsigned level, uint64_t vaddr) const {
  const bool napot = pte & pte::kN;
  const uint64_t mask = offset_mask(level, napot);
  const uint64_t vpn = vaddr >> kPageShift, ppn = pte::ppn(pte).value();
  r.t.fault = false;
  r.t.cause = Cause::kNone;
  r.t.pa = PhysAddr{(((ppn & ~mask) | (vpn & mask)) << kPageShift) | (vaddr & (kPageSize - 1))};
  r.leaf_level = int(level);
  r.napot = napot;
  return r;
}

bool ReferenceMmu::matches(const Entry& e, uint64_t vpn) const {
  const uint64_t care = ~offset_mask(e.level, e.napot) & kVpnMask;
  return ((e.vpn ^ vpn) & care) == 0;
}

std::optional<unsigned> ReferenceMmu::lookup(uint64_t vpn, uint16_t asid) const {
  for (unsigned i = 0; i < tlb_.size(); ++i) {
    const Entry& e = tlb_[i];
    if (e.valid && matches(e, vpn) && (e.global || e.asid == asid)) return i;
  }
  return std::nullopt;
}

unsigned ReferenceMmu::refill_slot() const {
  for (unsigned i = 0; i < tlb_.size(); ++i) {
    if (!tlb_[i].valid) return i;
  }
  unsigned node = 0, idx = 0;
  for (unsigned l = 0; l < plru_levels_; ++l) {
    const unsigned b = plru_[node];
    idx = (idx << 1) | b;
    node = 2 * node + 1 + b;
  }
  return idx;
}

void ReferenceMmu::touch(unsigned idx) {
  unsigned node = 0;
  for (unsigned l = 0; l < plru_levels_; ++l) {
    const unsigned b = (idx >> (plru_levels_ - 1 - l)) & 1;
    plru_[node] = !b;  // point away from the used half
    node = 2 * node + 1 + b;
  }
}

RefResult ReferenceMmu::expect(VirtAddr va, Access access, Priv priv) {
  const SatpFields satp = decode_satp(satp_, xlen_);
  if (satp.implemented && satp.mode == PagingMode::kBare) {
    RefResult r;
    const uint64_t pa = effective_va(va);
    r.t.fault = (pa >> 56) != 0;
    r.t.cause = r.t.fault ? access_fault_cause(access) : Cause::kNone;
    r.kind = r.t.fault ? WalkFault::kBareOutOfRange : WalkFault::kNone;
    r.t.pa = r.t.fault ? PhysAddr{} : PhysAddr{pa};
    return r;
  }
  if (!satp.implemented) {  // reserved MODE
    RefResult r;
    r.t.fault = true;
    r.t.cause = page_fault_cause(access);
    r.kind = WalkFault::kReservedMode;
    return r;
  }

  // The spec's first check, whatever any TLB holds: an address that is not
  // canonical for the mode faults. (A TLB's tags hold only the VPN bits.)
  if (!is_canonical(VirtAddr{effective_va(va)}, satp.mode)) return walk(va, access, priv);
  const uint64_t vpn = (effective_va(va) >> kPageShift) & kVpnMask;
  const uint16_t asid = uint16_t(satp.asid.value());
  const auto hit = lookup(vpn, asid);
  if (hit) {
    const Entry& e = tlb_[*hit];
    if (rights_allow(e.flags, access, priv) && (access != Access::kStore || (e.flags & pte::kD))) {
      RefResult r;
      const uint64_t mask = offset_mask(e.level, e.napot);
      r.t.pa = PhysAddr{(((e.ppn & ~mask) | (vpn & mask)) << kPageShift) | page_offset(va)};
      r.t.tlb_hit = true;
      r.leaf_level = int(e.level);
      r.napot = e.napot;
      touch(*hit);
      return r;
    }
  }

  RefResult r = walk(va, access, priv);
  if (!r.t.fault) {
    const WalkStep& leaf = r.steps.back();
    const uint64_t e = r.ad_update ? r.ad_update->pte : leaf.pte;
    bool global = false;
    for (const WalkStep& s : r.steps) global = global || (s.pte & pte::kG);
    const unsigned slot = hit ? *hit : refill_slot();
    tlb_[slot] =
        Entry{true, vpn,    leaf.level,          bool(e & pte::kN),
              asid, global, pte::ppn(e).value(), e & (pte::kR | pte::kW | pte::kX | pte::kU | pte::kD)};
    touch(slot);
  }
  return r;
}

void ReferenceMmu::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  const uint64_t vpn = va ? (effective_va(*va) >> kPageShift) & kVpnMask : 0;
  for (Entry& e : tlb_) {
    const bool va_hit = !va || matches(e, vpn);
    const bool asid_hit = !asid || (!e.global && e.asid == uint16_t(asid->value()));
    if (va_hit && asid_hit) e.valid = false;
  }
}

}  // namespace vmsim
