// The reference solution of lab 1: an Sv39 walk as the privileged spec
// writes it, step by step. Instructors: labs/solutions/ is the only place
// solutions live; delete the folder before handing the labs out (the
// graders then build the student's files alone).
#include "labs/1-page-walk/lab1.h"

namespace lab1 {

namespace {

using namespace vmsim;

Answer fault(Access a) {
  return {true, page_fault_cause(a), 0, true};
}

bool user_rule_allows(uint64_t e, Priv priv, Access access, bool sum) {
  if (e & pte::kU) return priv == Priv::kUser || (access != Access::kFetch && sum);
  return priv == Priv::kSupervisor;
}

bool rights_allow(uint64_t e, Access access, bool mxr) {
  switch (access) {
    case Access::kFetch:
      return e & pte::kX;
    case Access::kStore:
      return e & pte::kW;
    case Access::kLoad:
      return (e & pte::kR) || (mxr && (e & pte::kX));
  }
  return false;
}

}  // namespace

Answer translate(const Memory& mem, uint64_t satp, uint64_t va, Access access, Priv priv,
                 const TranslationControl& ctl) {
  const uint64_t mode = satp >> 60;
  if (mode == 0) {  // Bare: the address is physical (56 bits of it)
    if (va >> 56) return {true, access_fault_cause(access), 0, true};
    return {false, Cause::kNone, va, true};
  }
  if (mode != 8) return fault(access);
  // Step 0: bits 63..39 must all equal bit 38.
  const uint64_t top = va >> 38;
  if (top != 0 && top != (uint64_t{1} << 26) - 1) return fault(access);
  uint64_t table = satp & ((uint64_t{1} << 44) - 1);  // step 1: a = satp.PPN x PAGESIZE, i = LEVELS - 1
  for (int i = 2; i >= 0; --i) {
    const uint64_t vpn_i = (va >> (12 + 9 * i)) & 0x1ff;
    const uint64_t addr = (table << 12) + vpn_i * 8;  // step 2: pte = a + va.vpn[i] x PTESIZE
    if (!mem.contains(addr)) return {true, access_fault_cause(access), 0, true};
    const uint64_t e = mem.read_pte(addr);
    if (e >> 54) return fault(access);  // reserved bits: no Svnapot, no Svpbmt here
    // Step 3: V = 0, or W without R.
    if (!(e & pte::kV) || ((e & pte::kW) && !(e & pte::kR))) return fault(access);
    // Step 4: R = X = 0 is a pointer to the next level.
    if (!(e & (pte::kR | pte::kX))) {
      if (e & (pte::kD | pte::kA | pte::kU)) return fault(access);  // reserved in pointers
      if (i == 0) return fault(access);
      table = pte::ppn(e).value();
      continue;
    }
    // Step 5: a leaf. The U/S rule, then R/W/X (with MXR).
    if (!user_rule_allows(e, priv, access, ctl.sum) || !rights_allow(e, access, ctl.mxr))
      return fault(access);
    // Step 6: a superpage's low PPN bits must be zero.
    const uint64_t ppn = pte::ppn(e).value();
    const uint64_t low = (uint64_t{1} << (9 * i)) - 1;
    if (ppn & low) return fault(access);
    // Step 7: A, and D on a store (no Svadu in this lab).
    if (!(e & pte::kA) || (access == Access::kStore && !(e & pte::kD))) return fault(access);
    // Step 8: the PPN, its low bits from the VPN on a superpage, and the offset.
    const uint64_t vpn = va >> 12;
    return {false, Cause::kNone, (((ppn & ~low) | (vpn & low)) << 12) | (va & 0xfff), true};
  }
  return fault(access);
}

}  // namespace lab1
