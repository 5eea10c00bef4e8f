#include "sw/kernel/khugepaged.h"

#include <bit>
#include <map>

namespace vmsim {

void Khugepaged::note_access() {
  if (!cfg_.thp || cfg_.khugepaged_period == 0 || ++since_scan_ < cfg_.khugepaged_period) return;
  since_scan_ = 0;
  scan();
}

unsigned Khugepaged::scan() {
  if (!cfg_.thp) return 0;
  KernelTime::Section section(time_);
  const uint64_t huge = page_size(procs_.mode(), 1);
  unsigned promoted = 0;
  for (const auto& proc : procs_.all()) {
    if (!proc->alive) continue;
    // Candidates from the pages that exist, not from the address range: a
    // region may span the whole user half (trace replay) and hold a few
    // hundred pages. A range is worth a look once all its pages are resident.
    std::vector<std::pair<const Region*, VirtAddr>> ranges;
    for (const auto& [start, r] : proc->as->regions()) {
      const bool private_anon = r.obj && !r.obj->shared && !r.obj->file && !r.obj->backing && !r.obj->shadows;
      if (!private_anon || r.global) continue;
      std::map<uint64_t, uint64_t> resident;  // huge-page base -> resident pages of the region in it
      const uint64_t first = r.obj_offset, count = r.length / kPageSize;
      for (const auto& [index, page] : r.obj->pages) {
        if (index < first || index - first >= count || page.state != PageState::kResident) continue;
        const uint64_t base = (r.start.value() + (index - first) * kPageSize) & ~(huge - 1);
        if (base >= r.start.value() && base + huge <= r.end().value()) ++resident[base];
      }
      for (const auto& [base, n] : resident) {
        if (n == huge / kPageSize) ranges.push_back({&r, VirtAddr{base}});
      }
    }
    for (const auto& [r, base] : ranges) {
      if (promoted == kMaxPerScan) return promoted;
      const std::optional<PteSlot> leaf = proc->as->table().find_leaf(base);
      if (leaf && leaf->level > 0) continue;  // promoted already
      const std::vector<Page*> pages = candidate(*proc, *r, base);
      if (!pages.empty() && promote(*proc, base, pages)) ++promoted;
    }
  }
  return promoted;
}

std::vector<Page*> Khugepaged::candidate(Process& p, const Region& r, VirtAddr base) const {
  const uint64_t count = page_size(procs_.mode(), 1) / kPageSize;
  std::vector<Page*> pages;
  pages.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const VirtAddr va{base.value() + i * kPageSize};
    auto it = r.obj->pages.find(r.page_index(va));
    if (it == r.obj->pages.end()) return {};
    Page& page = it->second;
    const bool mapped_here_only = page.maps.size() == 1 && page.maps[0].proc == &p && page.maps[0].va == va;
    if (page.state != PageState::kResident || !mapped_here_only) return {};
    const std::optional<PteSlot> leaf = p.as->table().find_leaf(va);
    if (!leaf || leaf->level != 0) return {};  // a huge leaf already, or not mapped
    pages.push_back(&page);
  }
  return pages;
}

bool Khugepaged::promote(Process& p, VirtAddr base, const std::vector<Page*>& pages) {
  const auto order = static_cast<unsigned>(std::countr_zero(pages.size()));
  const unsigned node = frames_.phys().node_of(pages.front()->frame);
  std::optional<Ppn> block = frames_.take_user_block(order, node);
  if (!block && compactor_.compact(order, node)) block = frames_.take_user_block(order, node);
  if (!block) {
    ++stats_.thp_no_block;
    return false;
  }
  PageTable& table = p.as->table();
  bool accessed = false;
  for (size_t i = 0; i < pages.size(); ++i) {
    Page& page = *pages[i];
    const VirtAddr va{base.value() + i * kPageSize};
    const PteSlot leaf = *table.find_leaf(va);
    accessed = accessed || (leaf.entry & pte::kA);
    if (leaf.entry & pte::kD) page.dirty = true, page.swap_valid = false;  // the huge leaf starts clean
    const Ppn to{block->value() + i}, from = page.frame;
    mem_.copy_page(to, from);
    resident_.move_frame(page, to);
    frames_.release_user_frame(from);
  }
  time_.charge(pages.size() * 2 * cfg_.zero_page_cycles);  // a read and a write of each page
  const Region& r = *p.as->find(base);
  const uint64_t flags = r.perms.pte_flags() | (accessed ? pte::kA : 0);
  table.collapse(base, *block, flags, 1);
  mmu_.sfence(std::nullopt, p.as->asid());
  ++stats_.thp_promotions;
  return true;
}

}  // namespace vmsim
