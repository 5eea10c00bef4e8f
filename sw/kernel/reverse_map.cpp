#include "sw/kernel/reverse_map.h"

#include <algorithm>

namespace vmsim {

bool ReverseMap::test_and_clear(Page& page) {
  bool young = false;
  ++stats_.a_bit_tests;
  for (const PageMapping& m : page.maps) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    if (!slot || !(slot->entry & pte::kA)) continue;
    young = true;
    m.proc->as->table().update(*slot, slot->entry & ~pte::kA);
    // Without this the TLB keeps the translation, later accesses hit there,
    // and the walker never sets A again: the page would look unused.
    mmu_.sfence(m.va, m.proc->as->asid());
    ++stats_.a_bit_fences;
  }
  return young;
}

bool ReverseMap::mapped_dirty(const Page& page) const {
  return std::any_of(page.maps.begin(), page.maps.end(), [](const PageMapping& m) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    return slot && (slot->entry & pte::kD);
  });
}

bool ReverseMap::clear_dirty(Page& page) {
  bool dirty = false;
  for (const PageMapping& m : page.maps) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    if (!slot || !(slot->entry & pte::kD)) continue;
    dirty = true;
    m.proc->as->table().update(*slot, slot->entry & ~pte::kD);
    mmu_.sfence(m.va, m.proc->as->asid());  // a cached D would let stores go unseen
  }
  return dirty;
}

bool ReverseMap::unmap_all(Page& page) {
  bool dirty = false;
  for (const PageMapping& m : page.maps) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    if (!slot) continue;
    dirty = dirty || (slot->entry & pte::kD);
    m.proc->as->table().update(*slot, 0);
    mmu_.sfence(m.va, m.proc->as->asid());
  }
  page.maps.clear();
  return dirty;
}

void ReverseMap::retarget(Page& page, Ppn to) {
  for (const PageMapping& m : page.maps) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    if (!slot) continue;
    const uint64_t keep = slot->entry & ~(pte::kPpnMask << pte::kPpnShift);  // flags, RSW, PBMT, N
    m.proc->as->table().update(*slot, keep | (to.value() << pte::kPpnShift));
    mmu_.sfence(m.va, m.proc->as->asid());
  }
}

void ReverseMap::unmap_one(Page& page, Process& p, VirtAddr va) {
  auto& maps = page.maps;
  maps.erase(std::remove_if(maps.begin(), maps.end(),
                            [&](const PageMapping& m) {
                              if (m.proc != &p || m.va != va) return false;
                              if (auto slot = p.as->table().find_leaf(va)) {
                                // D lives in the PTE until the kernel reads it: keep it in
                                // the page, or a page other mappings (or a later mprotect)
                                // keep would look clean and be dropped unwritten.
                                if (slot->entry & pte::kD) page.dirty = true, page.swap_valid = false;
                                p.as->table().update(*slot, 0);
                              }
                              return true;
                            }),
             maps.end());
}

void ReverseMap::move_one(Page& page, Process& p, VirtAddr from, VirtAddr to) {
  auto m = std::find_if(page.maps.begin(), page.maps.end(),
                        [&](const PageMapping& pm) { return pm.proc == &p && pm.va == from; });
  const std::optional<PteSlot> slot = p.as->table().find_leaf(from);
  if (m == page.maps.end() || !slot) return;
  if (p.as->table().map(to, pte::ppn(slot->entry), slot->entry & pte::kFlagMask)) {
    p.as->table().update(*slot, 0);
    m->va = to;
    return;
  }
  unmap_one(page, p, from);
}

}  // namespace vmsim
