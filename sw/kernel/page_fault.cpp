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
  if (r.obj->file && r.page_index(va) >= r.obj->file_pages)
    return {Outcome::kInvalid, "address is past the end of file '" + r.obj->name + "' (SIGBUS)"};
  Page& page = r.obj->page(r.page_index(va));
  if (page.state == PageState::kEmpty && r.obj->backing) {
    if (Page* src = r.obj->backing->visible(r.page_index(va)))
      return from_backing(p, page, *src, r, page_va, access);
  }
  switch (page.state) {
    case PageState::kResident:
      return set_accessed_dirty(p, page, r, page_va, access);
    case PageState::kSwapped:
      return swap_in(p, page, r, page_va, access);
    case PageState::kEmpty:
      if (r.obj->file) return file_fill(p, page, r, page_va, access);
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

FaultHandler::Resolution FaultHandler::file_fill(Process& p, Page& page, const Region& r, VirtAddr va,
                                                 Access access, bool read_only) {
  auto frame = alloc_.alloc_user_frame(p);
  if (!frame) return {p.alive ? Outcome::kInvalid : Outcome::kKilled, "out of memory"};
  if (page.state != PageState::kEmpty) {  // the allocation waited; another fault brought it in
    alloc_.free_user_frame(*frame);
    return handle(p, va, access, Priv::kUser);
  }
  if (!cache_.fill(page, *frame)) {
    alloc_.free_user_frame(*frame);
    return {Outcome::kInvalid,
            "I/O error reading page " + std::to_string(page.index) + " of file '" + page.obj->name + "'"};
  }
  map_page(p, page, r, va, access, read_only);
  return {Outcome::kMajor, {}};
}

// A page not written here since a fork (or a private mapping's file page):
// shared, read-only, until a store.
FaultHandler::Resolution FaultHandler::from_backing(Process& p, Page& own, Page& src, const Region& r,
                                                    VirtAddr va, Access access) {
  if (access == Access::kStore) return copy_on_write(p, own, src, r, va);
  if (src.state == PageState::kSwapped) return swap_in(p, src, r, va, access, /*read_only=*/true);
  if (src.state == PageState::kEmpty) return file_fill(p, src, r, va, access, /*read_only=*/true);
  if (!p.as->table().find_leaf(va)) {
    map_page(p, src, r, va, access, /*read_only=*/true);
    return {Outcome::kMinor, {}};
  }
  return set_accessed_dirty(p, src, r, va, access);  // mapped here, A cleared by aging
}

// The first store since a fork: the process gets its own copy of the page.
FaultHandler::Resolution FaultHandler::copy_on_write(Process& p, Page& own, Page& src, const Region& r,
                                                     VirtAddr va) {
  // In swap, or a file page not cached: read it in first, mapped read-only;
  // the store faults again.
  if (src.state == PageState::kSwapped) return swap_in(p, src, r, va, Access::kLoad, /*read_only=*/true);
  if (src.state == PageState::kEmpty) return file_fill(p, src, r, va, Access::kLoad, /*read_only=*/true);
  auto frame = alloc_.alloc_user_frame(p);
  if (!frame) return {p.alive ? Outcome::kInvalid : Outcome::kKilled, "out of memory"};
  if (src.state != PageState::kResident || own.state != PageState::kEmpty) {
    alloc_.free_user_frame(*frame);  // reclaim took the page meanwhile: start over
    return handle(p, va, Access::kStore, Priv::kUser);
  }
  mem_.copy_page(*frame, src.frame);
  time_.charge(2 * cfg_.zero_page_cycles);  // a read and a write of the page
  rmap_.unmap_one(src, p, va);              // map_page's fence below covers it
  resident_.make_resident(own, *frame);
  own.swap_valid = false;
  map_page(p, own, r, va, Access::kStore);
  return {Outcome::kCow, {}};
}

FaultHandler::Resolution FaultHandler::swap_in(Process& p, Page& page, const Region& r, VirtAddr va,
                                               Access access, bool read_only) {
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
  map_page(p, page, r, va, access, read_only);
  return {Outcome::kMajor, {}};
}

void FaultHandler::map_page(Process& p, Page& page, const Region& r, VirtAddr va, Access access,
                            bool read_only) {
  // A store maps the page dirty at once (as Linux does on a write fault);
  // a load maps it clean so the first store is seen (D bit or a fault).
  const uint64_t rights = r.perms.pte_flags() & ~(read_only ? pte::kW : 0);
  const uint64_t flags =
      rights | pte::kA | (access == Access::kStore ? pte::kD : 0) | (r.global ? pte::kG : 0);
  alloc_.ensure_table_reserve();
  p.as->table().map(va, page.frame, flags);
  if (access == Access::kStore) page.swap_valid = false, page.dirty = true;
  rmap_.add(page, p, va);
  mmu_.sfence(va, p.as->asid());
}

}  // namespace vmsim
