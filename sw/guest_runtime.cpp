#include "sw/guest_runtime.h"

#include <algorithm>
#include <stdexcept>

namespace vmsim {

GuestRuntime::GuestRuntime(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg)
    : mem_(mem),
      mmu_(mmu),
      frames_(mem.size_bytes() / kPageSize),
      space_(cfg.asid, PageTable(mem, frames_, cfg.mode)),
      handler_(mem, frames_, mmu) {
  mmu_.set_control(cfg.control);
  mmu_.write_satp(space_.satp());
  mmu_.sfence(std::nullopt, std::nullopt);
}

bool GuestRuntime::add_lazy_region(const Region& r) { return space_.add_region(r); }

bool GuestRuntime::add_eager_region(const Region& r, unsigned level) {
  const uint64_t page = page_size(space_.table().mode(), level);
  if (level >= space_.table().levels() || r.start.value() % page || r.length % page) return false;
  if (!space_.add_region(r)) return false;
  const uint64_t frames_per_page = page / kPageSize;
  const uint64_t flags = r.perms.pte_flags() | pte::kA | pte::kD | (r.global ? pte::kG : 0);
  for (uint64_t off = 0; off < r.length; off += page) {
    auto frame = frames_.alloc_contiguous(frames_per_page, frames_per_page);
    if (!frame) return false;
    for (uint64_t i = 0; i < frames_per_page; ++i) mem_.zero_page(Ppn{frame->value() + i});
    if (!space_.table().map(VirtAddr{r.start.value() + off}, *frame, flags, level)) return false;
    stats_.frames_mapped += frames_per_page;
  }
  mmu_.sfence(std::nullopt, std::nullopt);
  return true;
}

bool GuestRuntime::add_direct_map(VirtAddr base) {
  // The largest page that is not absurdly large: 1 GiB (level 2), or 4 MiB in Sv32.
  const PagingMode mode = space_.table().mode();
  const unsigned level = std::min(2u, levels_of(mode) - 1);
  const uint64_t big = page_size(mode, level);
  const uint64_t len = (mem_.size_bytes() + big - 1) / big * big;
  Region r{"direct-map", base, len, Perms{true, true, false, false}, true};
  if (!space_.add_region(r)) return false;
  for (uint64_t off = 0; off < len; off += big) {
    const uint64_t flags = r.perms.pte_flags() | pte::kA | pte::kD | pte::kG;
    if (!space_.table().map(VirtAddr{base.value() + off}, Ppn{off >> kPageShift}, flags, level)) {
      return false;
    }
  }
  mmu_.sfence(std::nullopt, std::nullopt);
  return true;
}

AccessResult GuestRuntime::fail(VirtAddr va, Access access, Priv priv, Cause cause,
                                std::string reason) {
  InvalidAccess inv{va, access, priv, cause, std::move(reason)};
  if (invalid_log_.size() < kInvalidLogLimit) invalid_log_.push_back(inv);
  return AccessResult{false, 0, std::move(inv)};
}

std::optional<PhysAddr> GuestRuntime::translate(VirtAddr va, Access access, Priv priv,
                                                std::optional<InvalidAccess>& fault) {
  // One fault is resolved per try: lazy allocation, then (Svade) the D bit on
  // a store to a page first mapped by a load. A third fault means the handler
  // and the MMU disagree, which is reported rather than looped on.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const Translation t = mmu_.translate(va, access, priv);
    if (!t.fault) return t.pa;
    if (!is_page_fault(t.cause)) {
      ++stats_.access_faults;
      fault = fail(va, access, priv, t.cause, "page table walk touched memory that does not exist").fault;
      return std::nullopt;
    }
    const FaultResolution res = handler_.handle(space_, va, access, priv);
    if (res.kind == FaultKind::kInvalid) {
      ++stats_.invalid_faults;
      fault = fail(va, access, priv, t.cause, res.reason).fault;
      return std::nullopt;
    }
    ++stats_.minor_faults;
  }
  ++stats_.invalid_faults;
  fault = fail(va, access, priv, page_fault_cause(access),
               "fault persists after the handler resolved it").fault;
  return std::nullopt;
}

AccessResult GuestRuntime::load(VirtAddr va, unsigned size, Priv priv) {
  AccessResult r;
  if (size == 0 || size > 8 || (size & (size - 1)) || va.value() % size) {
    return fail(va, Access::kLoad, priv, Cause::kLoadAccessFault, "misaligned or bad access size");
  }
  auto pa = translate(va, Access::kLoad, priv, r.fault);
  if (!pa) return r;
  if (!mem_.read(*pa, &r.value, size)) {
    ++stats_.access_faults;
    return fail(va, Access::kLoad, priv, Cause::kLoadAccessFault, "physical address outside memory");
  }
  r.ok = true;
  return r;
}

AccessResult GuestRuntime::store(VirtAddr va, uint64_t value, unsigned size, Priv priv) {
  AccessResult r;
  if (size == 0 || size > 8 || (size & (size - 1)) || va.value() % size) {
    return fail(va, Access::kStore, priv, Cause::kStoreAccessFault, "misaligned or bad access size");
  }
  auto pa = translate(va, Access::kStore, priv, r.fault);
  if (!pa) return r;
  if (!mem_.write(*pa, &value, size)) {
    ++stats_.access_faults;
    return fail(va, Access::kStore, priv, Cause::kStoreAccessFault, "physical address outside memory");
  }
  r.ok = true;
  return r;
}

AccessResult GuestRuntime::fetch(VirtAddr va, Priv priv) {
  AccessResult r;
  if (va.value() % 4) {
    return fail(va, Access::kFetch, priv, Cause::kFetchAccessFault, "misaligned fetch");
  }
  auto pa = translate(va, Access::kFetch, priv, r.fault);
  if (!pa) return r;
  if (!mem_.read(*pa, &r.value, 4)) {
    ++stats_.access_faults;
    return fail(va, Access::kFetch, priv, Cause::kFetchAccessFault, "physical address outside memory");
  }
  r.ok = true;
  return r;
}

}  // namespace vmsim
