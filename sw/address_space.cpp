#include "sw/address_space.h"

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
    case Access::kLoad: return read || write;
    case Access::kStore: return write;
    case Access::kFetch: return exec;
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
