#include "sw/address_space.h"

#include <algorithm>

namespace vmsim {

uint64_t Perms::pte_flags() const {
  uint64_t f = 0;
  if (read || write) f |= pte::kR;
  if (write) f |= pte::kW;
  if (exec) f |= pte::kX;
  if (user) f |= pte::kU;
  return f;
}

bool Perms::allows(Access a, Priv p) const {
  // The runtime's rule is stricter than SUM: supervisor code never touches
  // user pages, so a mismatch in privilege is always an invalid access.
  if (user != (p == Priv::kUser)) return false;
  switch (a) {
    case Access::kLoad:
      return read || write;
    case Access::kStore:
      return write;
    case Access::kFetch:
      return exec;
  }
  return false;
}

bool AddressSpace::add_region(const Region& r) {
  if (r.length == 0 || r.start.value() % kPageSize || r.length % kPageSize) return false;
  if (r.end().value() < r.start.value()) return false;  // wraps around
  const PagingMode m = table_.mode();
  if (!is_canonical(r.start, m) || !is_canonical(VirtAddr{r.end().value() - 1}, m)) return false;
  auto next = regions_.lower_bound(r.start.value());
  if (next != regions_.end() && next->second.start < r.end()) return false;
  if (next != regions_.begin() && std::prev(next)->second.end() > r.start) return false;
  regions_.emplace(r.start.value(), r);
  return true;
}

const Region* AddressSpace::find(VirtAddr va) const {
  auto it = regions_.upper_bound(va.value());
  if (it == regions_.begin()) return nullptr;
  --it;
  return it->second.contains(va) ? &it->second : nullptr;
}

}  // namespace vmsim

namespace vmsim {

std::vector<Region> AddressSpace::carve(VirtAddr start, VirtAddr end) {
  std::vector<Region> removed;
  auto it = regions_.upper_bound(start.value());
  if (it != regions_.begin()) --it;
  while (it != regions_.end() && it->second.start < end) {
    Region r = it->second;
    if (r.end() <= start) {
      ++it;
      continue;
    }
    it = regions_.erase(it);
    const VirtAddr cut_lo = std::max(r.start, start), cut_hi = std::min(r.end(), end);
    // Each piece that stays is one more region using the object; the piece
    // cut out keeps the original's count and is returned to the caller.
    if (r.start < cut_lo) {  // the part before stays
      if (r.obj) ++r.obj->users;
      Region lo = r;
      lo.length = cut_lo.value() - r.start.value();
      regions_.emplace(lo.start.value(), lo);
    }
    if (cut_hi < r.end()) {  // the part after stays
      if (r.obj) ++r.obj->users;
      Region hi = r;
      hi.start = cut_hi;
      hi.length = r.end().value() - cut_hi.value();
      hi.obj_offset = r.page_index(cut_hi);
      regions_.emplace(hi.start.value(), hi);
    }
    Region mid = r;
    mid.start = cut_lo;
    mid.length = cut_hi.value() - cut_lo.value();
    mid.obj_offset = r.page_index(cut_lo);
    removed.push_back(mid);
    it = regions_.upper_bound(cut_hi.value() - 1);
  }
  return removed;
}

std::optional<VirtAddr> AddressSpace::find_gap(uint64_t length, VirtAddr from, VirtAddr limit) const {
  uint64_t candidate = from.value();
  for (const auto& [start, r] : regions_) {
    if (r.end().value() <= candidate) continue;
    if (start >= candidate + length) break;
    candidate = r.end().value();
  }
  if (candidate + length > limit.value() || candidate + length < candidate) return std::nullopt;
  return VirtAddr{candidate};
}

}  // namespace vmsim
