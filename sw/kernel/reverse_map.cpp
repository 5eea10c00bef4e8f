#include "sw/kernel/reverse_map.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace vmsim {

// Each page's region is looked up on its own: munmap carves its range out
// before it unmaps the pages, so part of a huge page may be in no region.
template <typename F>
void ReverseMap::for_each_huge_page(Process& p, VirtAddr base, unsigned level, F f) {
  const uint64_t pages = page_size(p.as->table().mode(), level) / kPageSize;
  for (uint64_t i = 0; i < pages; ++i) {
    const VirtAddr va{base.value() + i * kPageSize};
    const Region* r = p.as->find(va);
    if (!r || !r->obj) continue;
    auto it = r->obj->pages.find(r->page_index(va));
    if (it != r->obj->pages.end()) f(it->second, va);
  }
}

namespace {
VirtAddr huge_base(const Process& p, VirtAddr va, unsigned level) {
  return VirtAddr{va.value() & ~(page_size(p.as->table().mode(), level) - 1)};
}
}  // namespace

bool ReverseMap::test_and_clear(Page& page) {
  bool young = std::exchange(page.huge_young, false);
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
    if (slot->level > 0) mark_group_young(*m.proc, m.va, slot->level, page);
  }
  return young;
}

void ReverseMap::mark_group_young(Process& p, VirtAddr va, unsigned level, const Page& tested) {
  for_each_huge_page(p, huge_base(p, va, level), level, [&](Page& other, VirtAddr) {
    if (&other != &tested) other.huge_young = true;
  });
}

void ReverseMap::split_all(Page& page) {
  if (stats_.thp_promotions == 0) return;
  // A copy: a split without a table frame drops mappings from page.maps.
  for (const PageMapping& m : std::vector<PageMapping>(page.maps)) split_huge(*m.proc, m.va);
}

void ReverseMap::split_huge(Process& p, VirtAddr va) {
  // Huge user leaves come only from khugepaged: until it has promoted a
  // range there is nothing to split, and no page-table walk is spent here.
  if (stats_.thp_promotions == 0) return;
  const std::optional<PteSlot> leaf = p.as->table().find_leaf(va);
  const Region* r = p.as->find(va);                         // none: munmap has carved it out already
  if (!leaf || leaf->level == 0 || (r && !r->obj)) return;  // fixed huge-page regions are never split
  ++stats_.thp_splits;
  if (!p.as->table().split(*leaf)) {  // no frame for a table: unmap the whole huge page instead
    const VirtAddr base = huge_base(p, va, leaf->level);
    for_each_huge_page(p, base, leaf->level, [&](Page& page, VirtAddr at) {
      std::erase_if(page.maps, [&](const PageMapping& m) { return m.proc == &p && m.va == at; });
      if (leaf->entry & pte::kD) page.dirty = true, page.swap_valid = false;
    });
    p.as->table().update(*leaf, 0);
  }
  mmu_.sfence(va, p.as->asid());  // the superpage's TLB entry goes
}

bool ReverseMap::mapped_dirty(const Page& page) const {
  return std::any_of(page.maps.begin(), page.maps.end(), [](const PageMapping& m) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    return slot && (slot->entry & pte::kD);
  });
}

bool ReverseMap::clear_dirty(Page& page) {
  bool dirty = false;
  split_all(page);
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
  split_all(page);
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
  split_all(page);
  for (const PageMapping& m : page.maps) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    if (!slot) continue;
    const uint64_t keep = slot->entry & ~(pte::kPpnMask << pte::kPpnShift);  // flags, RSW, PBMT, N
    m.proc->as->table().update(*slot, keep | (to.value() << pte::kPpnShift));
    mmu_.sfence(m.va, m.proc->as->asid());
  }
}

void ReverseMap::unmap_one(Page& page, Process& p, VirtAddr va) {
  split_huge(p, va);
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
  split_huge(p, from);
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
