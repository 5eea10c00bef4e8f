// reference_mmu.h: what an MMU must, or may, answer, from the spec.
//
// Every request is decided from the architectural state: the spec walk
// (spec_walk.h) over satp, the control bits and memory. Where software has
// left translations unfenced, an answer from a cached translation is legal
// too (cached_translations.h). When the device's TLB organization is one the
// reference knows (tlb_model.h; for vmsim's own RTL, its L1), the reference
// also predicts hit or miss, and which cached translation serves a hit. The
// organization never decides a result: a predicted hit's answer comes from a
// translation the spec walk produced, under today's permission rules.
//
// Nothing here is taken from the RTL: not its tag widths, not its checks.
// A shortcut the RTL takes (a hit path that compares fewer address bits, a
// permission it caches) therefore shows as a mismatch instead of being
// mirrored. The reference reads memory but never writes it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "testbench/check/cached_translations.h"
#include "testbench/check/tlb_model.h"

namespace vmsim {

struct Expectation {
  // The spec walk's answer from the state now (always): from the root, or,
  // when the organization predicts a page-walk cache hit, from that pointer.
  RefResult spec;
  bool predicted = false;    // the organization is known: `hit` and `answer` hold
  bool hit = false;          // served by a TLB, without a walk
  bool l2_hit = false;       // that TLB was the L2
  Translation answer;        // the predicted answer: spec.t, or the cached translation's
  bool ad_required = false;  // the device must have written spec.ad_update (Svadu)
  uint64_t vpn = 0;          // of the request
  VirtAddr va{};             // the request
  Access access = Access::kLoad;
  Priv priv = Priv::kUser;
};

class ReferenceMmu {
 public:
  // A hart implementing `features` (sw/mmu_features.h). Without an
  // organization, only architectural results are predicted.
  ReferenceMmu(PhysMemory& mem, const MmuFeatures& features, std::unique_ptr<TlbOrganization> org = nullptr);

  // Reads memory: call it before the device may write it (Svadu).
  // predict = false: the spec walk only, the organization neither asked nor
  // changed (translations whose order in the device the reference cannot see).
  Expectation expect(VirtAddr va, Access access, Priv priv, bool predict = true);
  // Once the device's answer is judged: the request's walk result is one an
  // MMU may cache from now on (not before, or a device that skipped the
  // walk's A/D write-back would look as if it had answered from a cache).
  void retire(const Expectation& e);
  // Whether `got` may come from a translation an MMU can still hold cached.
  bool could_be_cached(const Translation& got, VirtAddr va, Access access, Priv priv) const;
  // satp is WARL: a write of a MODE the hart does not implement (a reserved
  // value, or a mode it lacks) has no effect at all. Returns whether it took.
  bool write_satp(uint64_t satp);
  void set_control(const TranslationControl& ctl) { ctl_ = ctl; }
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid);

  bool knows_organization() const { return bool(org_); }
  // Each TLB's lookups, hits and evictions, as the organization predicts
  // them (the checker holds the device to the predictions).
  const TlbCounts* tlb_counts() const { return org_ ? &org_->counts() : nullptr; }
  const SpecWalk& spec() const { return spec_; }
  unsigned xlen() const { return spec_.xlen(); }

 private:
  uint64_t vpn_of_request(VirtAddr va) const;
  void record_canonical_alias(const Expectation& e, PagingMode mode, uint16_t asid);
  void fill_walk_caches(const RefResult& r, PagingMode mode, uint64_t vpn, uint16_t asid);

  SpecWalk spec_;
  CachedTranslations cached_{spec_.xlen()};
  std::unique_ptr<TlbOrganization> org_;
  uint64_t satp_ = 0;
  TranslationControl ctl_;
};

}  // namespace vmsim
