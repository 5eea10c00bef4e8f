// tlb_model.h: the hit/miss behaviour of a TLB organization the reference
// knows, so that the checker can compare a device's hit flag with it.
//
// A model never decides a translation's result. It holds translations the
// spec walk produced (CachedTranslation) and says which of them, if any,
// serves a request; the checker compares the device's answer with that
// translation's, and its hit flag with the prediction. A replacement bug
// then shows as a hit where the model predicts a miss, or the other way.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/device.h"
#include "testbench/check/cached_translations.h"

namespace vmsim {

class TlbOrganization {
 public:
  virtual ~TlbOrganization() = default;
  virtual std::string name() const = 0;
  // The translation that serves this request, if one is cached and usable;
  // otherwise the device walks. Called once per request (it updates the
  // replacement state), only for canonical addresses in a translating mode.
  virtual const CachedTranslation* lookup(uint64_t vpn, uint16_t asid, PagingMode mode, VirtAddr va,
                                          Access access, Priv priv, const TranslationControl& ctl) = 0;
  // After the walk of the last lookup succeeded: the new translation.
  virtual void refill(const CachedTranslation& t) = 0;
  virtual void fence(std::optional<uint64_t> vpn, std::optional<uint16_t> asid) = 0;
  // Refills that replaced a valid entry (not an update of the entry that hit).
  virtual uint64_t evictions() const = 0;
};

// vmsim's L1 TLB, as rtl/mmu_tlb.sv, rtl/mmu_tlb_repl.sv and rtl/mmu_top.sv
// document it: a sets x ways array (4 KiB pages, set = VPN's low bits) with
// its replacement policy, and a fully associative tree-PLRU superpage array
// (or, without one, every size in a fully associative set array). The lowest
// matching entry wins, set array first; a hit is used only when its rights
// allow the access and, for a store, D is set, otherwise the walk's leaf
// overwrites that entry if it belongs to the same array; a miss fills the
// first invalid way, else the policy's victim; faults are never cached.
std::unique_ptr<TlbOrganization> make_vmsim_l1_tlb(const TlbGeometry& geometry);

}  // namespace vmsim
