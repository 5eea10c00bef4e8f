#include "testbench/check/cached_translations.h"

#include <algorithm>

namespace vmsim {

namespace {
constexpr uint64_t kVpnMask = (uint64_t{1} << 45) - 1;
constexpr uint64_t kLeafFlags = pte::kR | pte::kW | pte::kX | pte::kU | pte::kD;
}  // namespace

CachedTranslation CachedTranslation::from(const RefResult& r, PagingMode mode, uint64_t vpn, uint16_t asid) {
  bool global = r.start_global;
  for (const WalkStep& s : r.steps) global = global || (s.pte & pte::kG);
  const uint64_t leaf = r.leaf_pte();
  return {mode, vpn,    unsigned(r.leaf_level), r.napot,
          asid, global, pte::ppn(leaf).value(), leaf & kLeafFlags};
}

bool CachedTranslation::fenced_by(std::optional<uint64_t> fence_vpn,
                                  std::optional<uint16_t> fence_asid) const {
  const uint64_t care = ~leaf_offset_mask(mode, level, napot) & kVpnMask;
  const bool va_hit = !fence_vpn || ((vpn ^ *fence_vpn) & care) == 0;
  return va_hit && (!fence_asid || (!global && asid == *fence_asid));
}

bool CachedTranslation::covers(uint64_t req_vpn, uint16_t req_asid, PagingMode req_mode) const {
  const uint64_t care = ~leaf_offset_mask(mode, level, napot) & kVpnMask;
  return mode == req_mode && ((vpn ^ req_vpn) & care) == 0 && (global || asid == req_asid);
}

std::optional<Translation> CachedTranslation::answer(VirtAddr va, Access access, Priv priv,
                                                     const TranslationControl& ctl) const {
  Translation t;
  if (!SpecWalk::rights_allow(flags, access, priv, ctl)) {
    t.fault = true;
    t.cause = page_fault_cause(access);
    return t;
  }
  if (access == Access::kStore && !(flags & pte::kD)) {
    if (ctl.svadu) return std::nullopt;  // the walk must set D
    t.fault = true;
    t.cause = page_fault_cause(access);
    return t;
  }
  const uint64_t vaddr = effective_va(mode, va);
  const uint64_t mask = leaf_offset_mask(mode, level, napot);
  t.pa = PhysAddr{((((ppn & ~mask) | ((vaddr >> kPageShift) & mask))) << kPageShift) |
                  (vaddr & (kPageSize - 1))};
  return t;
}

uint64_t CachedTranslations::key(uint64_t vpn, unsigned level, bool napot) const {
  const uint64_t shift = napot ? 4 : uint64_t(xlen_ == 32 ? 10 : 9) * level;
  return ((vpn & kVpnMask) >> shift) << 4 | uint64_t(level) << 1 | uint64_t(napot);
}

void CachedTranslations::record(const CachedTranslation& t) {
  if (last_ && last_->mode == t.mode && last_->level == t.level && last_->napot == t.napot &&
      last_->asid == t.asid && last_->global == t.global && last_->ppn == t.ppn && last_->flags == t.flags &&
      key(last_->vpn, t.level, t.napot) == key(t.vpn, t.level, t.napot)) {
    return;  // the same translation as the last one
  }
  last_ = t;
  auto& page = by_page_[key(t.vpn, t.level, t.napot)];
  const auto same = [&](const CachedTranslation& o) {
    return o.mode == t.mode && o.asid == t.asid && o.global == t.global && o.ppn == t.ppn &&
           o.flags == t.flags;
  };
  if (std::none_of(page.begin(), page.end(), same)) page.push_back(t);
}

void CachedTranslations::fence(std::optional<uint64_t> vpn, std::optional<uint16_t> asid) {
  last_.reset();
  auto drop = [&](std::vector<CachedTranslation>& page) {
    page.erase(std::remove_if(page.begin(), page.end(),
                              [&](const CachedTranslation& t) { return t.fenced_by(vpn, asid); }),
               page.end());
  };
  if (!vpn) {
    for (auto it = by_page_.begin(); it != by_page_.end();) {
      drop(it->second);
      it = it->second.empty() ? by_page_.erase(it) : std::next(it);
    }
    return;
  }
  for (unsigned level = 0; level < 5; ++level) {
    for (bool napot : {false, true}) {
      if (napot && level) continue;
      auto it = by_page_.find(key(*vpn, level, napot));
      if (it == by_page_.end()) continue;
      drop(it->second);
      if (it->second.empty()) by_page_.erase(it);
    }
  }
}

bool CachedTranslations::could_answer(const Translation& got, VirtAddr va, Access access, Priv priv,
                                      const TranslationControl& ctl, PagingMode mode, uint16_t asid) const {
  const uint64_t vpn = (effective_va(mode, va) >> kPageShift) & kVpnMask;
  for (unsigned level = 0; level < levels_of(mode); ++level) {
    for (bool napot : {false, true}) {
      if (napot && level) continue;
      auto it = by_page_.find(key(vpn, level, napot));
      if (it == by_page_.end()) continue;
      for (const CachedTranslation& t : it->second) {
        if (!t.covers(vpn, asid, mode)) continue;
        const auto a = t.answer(va, access, priv, ctl);
        if (a && a->fault == got.fault && a->cause == got.cause && (got.fault || a->pa == got.pa))
          return true;
      }
    }
  }
  return false;
}

size_t CachedTranslations::size() const {
  size_t n = 0;
  for (const auto& [k, page] : by_page_) n += page.size();
  return n;
}

}  // namespace vmsim
