#include "testbench/check/walk_explanation.h"

#include <fmt/format.h>

namespace vmsim {

namespace {

std::string bit(const char* name, uint64_t pte, uint64_t mask) {
  return fmt::format("{}{}", name, (pte & mask) ? 1 : 0);
}

std::string access_name(Access a) {
  return a == Access::kStore ? "store" : a == Access::kFetch ? "fetch" : "load";
}

// The checks on a leaf, in the order SpecWalk::check_leaf and walk() make
// them; each says what it looked at. `failed`: the one that faulted (kNone:
// all passed).
std::vector<std::string> leaf_checks(uint64_t e, unsigned level, Access access, Priv priv,
                                     const TranslationControl& ctl, WalkFault failed) {
  const bool user_page = e & pte::kU, s = priv == Priv::kSupervisor;
  const std::string right = access == Access::kStore   ? "W=1 for a store"
                            : access == Access::kFetch ? "X=1 for a fetch"
                            : ctl.mxr                  ? "R=1, or X=1 with MXR=1, for a load"
                                                       : "R=1 for a load";
  struct Check {
    WalkFault kind;
    std::string what;
  };
  const Check checks[] = {
      {WalkFault::kNapot, (e & pte::kN) ? "N=1 only on a level-0 leaf with PPN[3:0]=1000" : "N=0"},
      {WalkFault::kPrivilege,
       fmt::format("U={} and {}-mode {}{}", user_page ? 1 : 0, s ? "an S" : "a U", access_name(access),
                   s && user_page ? (access == Access::kFetch ? " (S never fetches from U pages)"
                                                              : fmt::format(" (SUM={})", ctl.sum ? 1 : 0))
                                  : "")},
      {WalkFault::kPermission, right},
      {WalkFault::kMisaligned, level ? fmt::format("a level-{} superpage: its PPN's low {} bits are 0", level,
                                                   level == 1 ? "level-0" : "lower levels'")
                                     : "PPN alignment (nothing to check at level 0)"},
      {WalkFault::kAccessedDirty,
       access == Access::kStore ? "A=1 and D=1 (a store), or Svadu sets them" : "A=1, or Svadu sets it"},
  };
  std::vector<std::string> out;
  for (const Check& c : checks) {
    const bool bad = c.kind == failed;
    out.push_back(fmt::format("{}: {}", c.what, bad ? "FAULT" : "ok"));
    if (bad) break;
  }
  return out;
}

std::string fault_line(const RefResult& r) {
  return fmt::format("=> {} ({})", to_string(r.t.cause), to_string(r.kind));
}

}  // namespace

std::string pte_fields(uint64_t e, bool sv32) {
  std::string s =
      sv32 ? "" : fmt::format("N{} PBMT{} ", (e & pte::kN) ? 1 : 0, (e & pte::kPbmtMask) >> pte::kPbmtShift);
  if (!sv32 && (e & pte::kReservedMask))
    s += fmt::format("RESERVED 0x{:x} ", (e & pte::kReservedMask) >> pte::kReservedShift);
  s += fmt::format("PPN 0x{:x} RSW{} ", pte::ppn(e).value(), (e >> 8) & 3);
  s += bit("D", e, pte::kD) + " " + bit("A", e, pte::kA) + " " + bit("G", e, pte::kG) + " " +
       bit("U", e, pte::kU) + " " + bit("X", e, pte::kX) + " " + bit("W", e, pte::kW) + " " +
       bit("R", e, pte::kR) + " " + bit("V", e, pte::kV);
  return s;
}

// One level of the walk; true when the walk ended there.
bool explain_step(std::vector<std::string>& out, const WalkStep& s, bool last, const RefResult& r,
                  PagingMode mode, Access access, Priv priv, const TranslationControl& ctl) {
  const uint64_t e = s.pte;
  out.push_back(fmt::format("  level {}: PTE at 0x{:x} (table + VPN[{}] x {}) = 0x{:x}", s.level,
                            s.pte_addr.value(), s.level, pte_bytes_of(mode), e));
  out.push_back("    " + pte_fields(e, is_sv32(mode)));
  if (last && r.kind == WalkFault::kReservedBits) {
    out.push_back("    reserved bits (63..54: N without Svnapot, PBMT=3 or without Svpbmt, 60..54): FAULT " +
                  fault_line(r));
    return true;
  }
  if (!(e & pte::kV) || ((e & pte::kW) && !(e & pte::kR))) {  // only the last step can be
    out.push_back(std::string("    ") +
                  ((e & pte::kV) ? "W=1 without R=1, a reserved combination" : "V=0, not valid") +
                  ": FAULT " + fault_line(r));
    return true;
  }
  if (pte::is_pointer(e)) {
    if (last && r.kind == WalkFault::kPointerBits) {
      out.push_back("    V=1, R=W=X=0: a pointer, but D, A, U, N or PBMT is set: FAULT " + fault_line(r));
    } else if (last && r.kind == WalkFault::kLastLevelPointer) {
      out.push_back("    V=1, R=W=X=0: a pointer at level 0, where only leaves may be: FAULT " +
                    fault_line(r));
    } else {
      out.push_back(
          fmt::format("    V=1, R=W=X=0: a pointer to the next table, at PPN 0x{:x}", pte::ppn(e).value()));
    }
    return false;
  }
  out.push_back("    V=1 and R, W or X set: a leaf; its checks, in the spec's order:");
  const WalkFault failed = last ? r.kind : WalkFault::kNone;
  for (const std::string& c : leaf_checks(e, s.level, access, priv, ctl, failed)) out.push_back("      " + c);
  if (failed != WalkFault::kNone) {
    out.push_back("    " + fault_line(r));
    return true;
  }
  if (r.ad_update) out.push_back(fmt::format("    Svadu writes the PTE back as 0x{:x}", r.ad_update->pte));
  const uint64_t span = leaf_offset_mask(mode, s.level, r.napot);
  out.push_back(fmt::format("    => PA 0x{:x}: the PPN{} with the page offset", r.t.pa.value(),
                            span ? fmt::format(" (its low bits from the VPN: a {} page)",
                                               r.napot ? "64 KiB napot" : fmt::format("level-{}", s.level))
                                 : ""));
  return false;
}

std::vector<std::string> explain_walk(const RefResult& r, uint64_t satp_value, unsigned xlen, VirtAddr va,
                                      Access access, Priv priv, const TranslationControl& ctl) {
  std::vector<std::string> out;
  const SatpFields satp = decode_satp(satp_value, xlen);
  if (!satp.implemented || satp.mode == PagingMode::kBare) {
    out.push_back(satp.implemented ? "  satp.MODE is Bare: the address is the physical address"
                                   : "  satp.MODE is not one this MMU implements: " + fault_line(r));
    return out;
  }
  const PagingMode mode = satp.mode;
  const unsigned levels = levels_of(mode), idx_bits = idx_bits_of(mode);
  const uint64_t v = xlen == 32 ? va.value() & 0xffff'ffff : va.value();
  std::string fields = fmt::format("  {} va 0x{:x}:", to_string(mode), v);
  for (int i = int(levels) - 1; i >= 0; --i)
    fields += fmt::format(" VPN[{}]=0x{:x}", i,
                          (v >> (kPageShift + idx_bits * unsigned(i))) & ((1u << idx_bits) - 1));
  out.push_back(fields + fmt::format(" offset 0x{:x}; the root table is at PPN 0x{:x} (satp.PPN)",
                                     v & (kPageSize - 1), satp.root.value()));
  if (r.kind == WalkFault::kNonCanonical) {
    out.push_back(fmt::format("  bits 63..{} are not all equal to bit {}: not canonical {}", va_bits_of(mode),
                              va_bits_of(mode) - 1, fault_line(r)));
    return out;
  }
  for (const WalkStep& s : r.steps) {
    if (explain_step(out, s, &s == r.steps.end() - 1, r, mode, access, priv, ctl)) return out;
  }
  if (r.kind == WalkFault::kPteAccess)
    out.push_back("  the next PTE's address is outside physical memory: " + fault_line(r));
  return out;
}

}  // namespace vmsim
