#include "testbench/check/reference_mmu.h"

namespace vmsim {

namespace {
constexpr uint64_t kVpnMask = (uint64_t{1} << 45) - 1;
}

ReferenceMmu::ReferenceMmu(PhysMemory& mem, const MmuFeatures& features, std::unique_ptr<TlbOrganization> org)
    : spec_(mem, features), org_(std::move(org)) {}

bool ReferenceMmu::write_satp(uint64_t satp) {
  const SatpFields f = decode_satp(satp, spec_.xlen());
  if (!f.implemented || !spec_.features().implements(f.mode)) return false;
  satp_ = satp;
  return true;
}

uint64_t ReferenceMmu::vpn_of_request(VirtAddr va) const {
  return (spec_.effective_va(va) >> kPageShift) & kVpnMask;
}

Expectation ReferenceMmu::expect(VirtAddr va, Access access, Priv priv, bool predict) {
  Expectation e;
  e.spec = spec_.translate(satp_, ctl_, va, access, priv);
  e.answer = e.spec.t;
  e.ad_required = e.spec.ad_update.has_value();
  const SatpFields satp = decode_satp(satp_, spec_.xlen());
  const uint16_t asid = uint16_t(satp.asid.value());
  const uint64_t vpn = vpn_of_request(va);
  e.vpn = vpn;
  e.va = va;
  e.access = access;
  e.priv = priv;
  if (!org_ || !predict) return e;
  e.predicted = true;
  // Only a canonical address in a translating mode reaches a TLB.
  if (!e.spec.walked || e.spec.kind == WalkFault::kNonCanonical) return e;
  if (const TlbLookup found = org_->lookup(vpn, asid, satp.mode, va, access, priv, ctl_); found.hit) {
    e.hit = true;
    e.l2_hit = found.l2;
    e.answer = *found.hit->answer(va, access, priv, ctl_);  // usable: never nullopt
    e.ad_required = false;
    return e;
  }
  if (const std::optional<WalkStart> start = org_->walk_start(vpn, asid, satp.mode)) {
    e.spec = spec_.translate_from(satp_, ctl_, va, access, priv, start->level, Ppn{start->table_ppn},
                                  start->global);
    e.answer = e.spec.t;
    e.ad_required = e.spec.ad_update.has_value();
  }
  fill_walk_caches(e.spec, satp.mode, vpn, asid);
  if (!e.spec.t.fault) org_->refill(CachedTranslation::from(e.spec, satp.mode, vpn, asid));
  return e;
}

// Each pointer the walk followed, with the G seen on the path down to it.
void ReferenceMmu::fill_walk_caches(const RefResult& r, PagingMode mode, uint64_t vpn, uint16_t asid) {
  bool global = r.start_global;
  for (size_t i = 0; i < r.pointers_followed(); ++i) {
    const WalkStep& s = r.steps.begin()[i];
    global = global || (s.pte & pte::kG);
    org_->pointer_followed(vpn, asid, mode, s.level, pte::ppn(s.pte).value(), global);
  }
}

void ReferenceMmu::retire(const Expectation& e) {
  // A walk that found a leaf made a translation any MMU may cache from now on
  // (the spec lets it walk, and cache, speculatively): one that succeeded, or
  // one that faulted only on this access's rights (later accesses are judged
  // by the cached leaf's flags, under the rules of their time).
  const SatpFields satp = decode_satp(satp_, spec_.xlen());
  const uint16_t asid = uint16_t(satp.asid.value());
  if (e.spec.walked && (!e.spec.t.fault || e.spec.leaf_cacheable)) {
    cached_.record(CachedTranslation::from(e.spec, satp.mode, e.vpn, asid));
  }
  if (e.spec.kind == WalkFault::kNonCanonical) record_canonical_alias(e, satp.mode, asid);
}

// A non-canonical address is never translated, but an MMU may walk its low
// bits (speculation may walk any address): what it may cache is the
// translation of the canonical address with the same low bits.
void ReferenceMmu::record_canonical_alias(const Expectation& e, PagingMode mode, uint16_t asid) {
  const unsigned bits = va_bits_of(mode);
  const uint64_t low = e.va.value() & ((uint64_t{1} << bits) - 1);
  const bool negative = (low >> (bits - 1)) & 1;
  const VirtAddr alias{negative ? low | ~((uint64_t{1} << bits) - 1) : low};
  const RefResult r = spec_.translate(satp_, ctl_, alias, e.access, e.priv);
  if (r.walked && (!r.t.fault || r.leaf_cacheable)) {
    cached_.record(CachedTranslation::from(r, mode, vpn_of_request(alias), asid));
  }
}

bool ReferenceMmu::could_be_cached(const Translation& got, VirtAddr va, Access access, Priv priv) const {
  const SatpFields satp = decode_satp(satp_, spec_.xlen());
  if (!satp.implemented || satp.mode == PagingMode::kBare) return false;
  if (!is_canonical(VirtAddr{spec_.effective_va(va)}, satp.mode)) return false;  // never from a cache
  return cached_.could_answer(got, va, access, priv, ctl_, satp.mode, uint16_t(satp.asid.value()));
}

void ReferenceMmu::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  const std::optional<uint64_t> vpn = va ? std::optional<uint64_t>(vpn_of_request(*va)) : std::nullopt;
  const std::optional<uint16_t> a = asid ? std::optional<uint16_t>(uint16_t(asid->value())) : std::nullopt;
  cached_.fence(vpn, a);
  if (org_) org_->fence(vpn, a);
}

}  // namespace vmsim
