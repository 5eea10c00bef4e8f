#include "sw/page_fault_handler.h"

namespace vmsim {

FaultResolution PageFaultHandler::handle(AddressSpace& as, VirtAddr va, Access access, Priv priv) {
  const Region* region = as.find(va);
  if (!region) return {FaultKind::kInvalid, "address is in no region"};
  if (!region->perms.allows(access, priv)) {
    return {FaultKind::kInvalid, "region '" + region->name + "' does not allow this access"};
  }
  const VirtAddr page = base_of(vpn_of(va));
  const uint64_t want_ad = pte::kA | (access == Access::kStore ? pte::kD : 0);

  if (auto slot = as.table().find_leaf(va)) {
    if ((slot->entry & want_ad) == want_ad) {
      return {FaultKind::kInvalid, "page table entry disagrees with region '" + region->name + "'"};
    }
    as.table().update(*slot, slot->entry | want_ad);
    mmu_.sfence(page, region->global ? std::nullopt : std::optional<Asid>(as.asid()));
    return {FaultKind::kMinor, {}};
  }

  auto frame = frames_.alloc();
  if (!frame) return {FaultKind::kInvalid, "out of memory: no free frame"};
  mem_.zero_page(*frame);
  const uint64_t flags = region->perms.pte_flags() | want_ad | (region->global ? pte::kG : 0);
  if (!as.table().map(page, *frame, flags)) {
    frames_.free(*frame);
    return {FaultKind::kInvalid, "out of memory: no frame for a page table"};
  }
  mmu_.sfence(page, region->global ? std::nullopt : std::optional<Asid>(as.asid()));
  return {FaultKind::kMinor, {}};
}

}  // namespace vmsim
