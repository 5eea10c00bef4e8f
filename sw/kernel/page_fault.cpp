#include "sw/kernel/page_fault.h"

namespace vmsim {

FaultHandler::Resolution FaultHandler::handle(Process& p, VirtAddr va, Access access, Priv priv) {
  const Region* region = p.as->find(va);
  if (!region) return {Outcome::kInvalid, "address is in no region"};
  if (!region->perms.allows(access, priv)) {
    return {Outcome::kInvalid, "region '" + region->name + "' does not allow this access"};
  }
  if (!region->obj) {
    return {Outcome::kInvalid, "page table entry disagrees with region '" + region->name + "'"};
  }
  const Region r = *region;  // reclaim below may not touch regions, but keep a copy
  const VirtAddr page_va = base_of(vpn_of(va));
  Page& page = r.obj->page(r.page_index(va));
  switch (page.state) {
    case PageState::kResident:
      return set_accessed_dirty(p, page, r, page_va, access);
    case PageState::kSwapped:
      return swap_in(p, page, r, page_va, access);
    case PageState::kEmpty:
      return zero_fill(p, page, r, page_va, access);
  }
  return {Outcome::kInvalid, "unknown page state"};
}

// A resident page: mapped here with A (or D) missing, or not mapped here yet.
FaultHandler::Resolution FaultHandler::set_accessed_dirty(Process& p, Page& page, const Region& r,
                                                          VirtAddr va, Access access) {
  auto slot = p.as->table().find_leaf(va);
  if (!slot) {
    map_page(p, page, r, va, access);
    return {Outcome::kMinor, {}};
  }
  const uint64_t want_ad = pte::kA | (access == Access::kStore ? pte::kD : 0);
  if ((slot->entry & want_ad) == want_ad) {
    return {Outcome::kInvalid, "page table entry disagrees with region '" + r.name + "'"};
  }
  p.as->table().update(*slot, slot->entry | want_ad);
  if (access == Access::kStore) page.swap_valid = false, page.dirty = true;
  mmu_.sfence(va, p.as->asid());
  return {Outcome::kMinor, {}};
}

FaultHandler::Resolution FaultHandler::zero_fill(Process& p, Page& page, const Region& r, VirtAddr va,
                                                 Access access) {
  auto frame = alloc_.alloc_user_frame(p);
  if (!frame) return {p.alive ? Outcome::kInvalid : Outcome::kKilled, "out of memory"};
  mem_.zero_page(*frame);
  time_.charge(cfg_.zero_page_cycles);
  resident_.make_resident(page, *frame);
  page.swap_valid = false;
  map_page(p, page, r, va, access);
  return {Outcome::kMinor, {}};
}

FaultHandler::Resolution FaultHandler::swap_in(Process& p, Page& page, const Region& r, VirtAddr va,
                                               Access access) {
  auto frame = alloc_.alloc_user_frame(p);
  if (!frame) return {p.alive ? Outcome::kInvalid : Outcome::kKilled, "out of memory"};
  // The allocation may have waited for I/O; another process may have
  // brought a shared page back meanwhile.
  if (page.state != PageState::kSwapped) {
    alloc_.free_user_frame(*frame);
    return handle(p, va, access, Priv::kUser);
  }
  const uint64_t slot = *page.slot;
  const SwapSpace::ReadResult rr = swapper_.swap_in(page, *frame);
  if (rr != SwapSpace::ReadResult::kOk) {
    alloc_.free_user_frame(*frame);
    const std::string what = rr == SwapSpace::ReadResult::kCorrupt ? "CRC mismatch" : "I/O error";
    // The data is lost. The page's owner cannot go on.
    return {Outcome::kInvalid, "swap slot " + std::to_string(slot) + " holding page " +
                                   std::to_string(page.index) + " of '" + page.obj->name + "' is corrupt (" +
                                   what + ")"};
  }
  map_page(p, page, r, va, access);
  return {Outcome::kMajor, {}};
}

void FaultHandler::map_page(Process& p, Page& page, const Region& r, VirtAddr va, Access access) {
  // A store maps the page dirty at once (as Linux does on a write fault);
  // a load maps it clean so the first store is seen (D bit or a fault).
  const uint64_t flags =
      r.perms.pte_flags() | pte::kA | (access == Access::kStore ? pte::kD : 0) | (r.global ? pte::kG : 0);
  alloc_.ensure_table_reserve();
  p.as->table().map(va, page.frame, flags);
  if (access == Access::kStore) page.swap_valid = false, page.dirty = true;
  rmap_.add(page, p, va);
  mmu_.sfence(va, p.as->asid());
}

}  // namespace vmsim
