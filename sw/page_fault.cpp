// page_fault.cpp: what the kernel does when the MMU reports a page fault.
//
// - Outside every region, or against the region's rights: invalid, like a
//   SIGSEGV. Nothing is changed; the process ends.
// - Page never touched (or a dropped zero page): allocate a zeroed frame and
//   map it (minor: lazy allocation).
// - Page resident, not mapped here (a shared page another process brought
//   in): map the frame (minor: soft fault).
// - Page resident and mapped, but A clear, or D clear on a store (Svade):
//   set the bits (minor).
// - Page in swap: allocate a frame, read the slot back, check its CRC, map
//   it clean (major). The slot stays allocated as the swap cache's copy until
//   the page is dirtied, so a clean page can later be dropped without a write.
#include <cstring>
#include <vector>

#include "sw/guest_runtime.h"

namespace vmsim {

GuestRuntime::Resolution GuestRuntime::handle_fault(Process& p, VirtAddr va, Access access, Priv priv) {
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
  const uint64_t want_ad = pte::kA | (access == Access::kStore ? pte::kD : 0);

  switch (page.state) {
    case PageState::kResident: {
      if (auto slot = p.as->table().find_leaf(page_va)) {
        if ((slot->entry & want_ad) == want_ad) {
          return {Outcome::kInvalid, "page table entry disagrees with region '" + r.name + "'"};
        }
        p.as->table().update(*slot, slot->entry | want_ad);
        if (access == Access::kStore) page.swap_valid = false, page.dirty = true;
        mmu_.sfence(page_va, p.as->asid());
        return {Outcome::kMinor, {}};
      }
      map_page(p, page, r, page_va, access);
      return {Outcome::kMinor, {}};
    }
    case PageState::kSwapped:
      return swap_in(p, page, r, page_va, access);
    case PageState::kEmpty: {
      auto frame = alloc_user_frame(p);
      if (!frame) return {p.alive ? Outcome::kInvalid : Outcome::kKilled, "out of memory"};
      mem_.zero_page(*frame);
      charge_kernel(cfg_.zero_page_cycles);
      make_resident(page, *frame);
      page.swap_valid = false;
      map_page(p, page, r, page_va, access);
      return {Outcome::kMinor, {}};
    }
  }
  return {Outcome::kInvalid, "unknown page state"};
}

GuestRuntime::Resolution GuestRuntime::swap_in(Process& p, Page& page, const Region& r, VirtAddr va,
                                               Access access) {
  auto frame = alloc_user_frame(p);
  if (!frame) return {p.alive ? Outcome::kInvalid : Outcome::kKilled, "out of memory"};
  // alloc_user_frame may have waited for I/O; another process may have
  // brought a shared page back meanwhile.
  if (page.state != PageState::kSwapped) {
    release_user_frame(*frame);
    return handle_fault(p, va, access, Priv::kUser);
  }
  std::vector<uint8_t> buf(kPageSize);
  uint64_t latency = 0;
  const SwapSpace::ReadResult rr = swap_.read(*page.slot, buf.data(), latency);
  stats_.swap_cycles += latency;
  if (rr != SwapSpace::ReadResult::kOk) {
    release_user_frame(*frame);
    if (rr == SwapSpace::ReadResult::kCorrupt) ++stats_.swap_corrupt;
    const std::string what = rr == SwapSpace::ReadResult::kCorrupt ? "CRC mismatch" : "I/O error";
    // The data is lost: never hand it to the guest. The page's owner cannot go on.
    return {Outcome::kInvalid, "swap slot " + std::to_string(*page.slot) + " holding page " +
                                   std::to_string(page.index) + " of '" + page.obj->name + "' is corrupt (" +
                                   what + ")"};
  }
  mem_.write(base_of(*frame), buf.data(), kPageSize);
  ++stats_.swap_ins;
  make_resident(page, *frame);
  page.swap_valid = true;  // the slot still holds the same bytes: the swap cache
  map_page(p, page, r, va, access);
  add_io(latency);
  return {Outcome::kMajor, {}};
}

void GuestRuntime::map_page(Process& p, Page& page, const Region& r, VirtAddr va, Access access) {
  // A store maps the page dirty at once (as Linux does on a write fault);
  // a load maps it clean so the first store is seen (D bit or a fault).
  const uint64_t flags =
      r.perms.pte_flags() | pte::kA | (access == Access::kStore ? pte::kD : 0) | (r.global ? pte::kG : 0);
  ensure_table_reserve();
  p.as->table().map(va, page.frame, flags);
  if (access == Access::kStore) page.swap_valid = false, page.dirty = true;
  page.maps.push_back({&p, va});
  mmu_.sfence(va, p.as->asid());
}

}  // namespace vmsim
