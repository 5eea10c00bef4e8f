#include "sw/page_table.h"

#include <stdexcept>
#include <vector>

namespace vmsim {

PageTable::PageTable(PhysMemory& mem, PhysFrames& frames, PagingMode mode)
    : mem_(mem), frames_(frames), mode_(mode) {
  if (levels_of(mode) == 0) throw std::invalid_argument("PageTable needs a translating mode");
  auto root = frames_.alloc_unmovable();
  if (!root) throw std::runtime_error("no free frame for the root page table");
  root_ = *root;
  mem_.zero_page(root_);
  table_frames_.push_back(root_);
}

PhysAddr PageTable::slot_addr(Ppn table, VirtAddr va, unsigned level) const {
  return pte_address(table, va, level, mode_);
}

uint64_t PageTable::read_pte(PhysAddr a) const {
  return mem_.read_word(a, pte_bytes_of(mode_));
}
void PageTable::write_pte(PhysAddr a, uint64_t e) {
  mem_.write_word(a, e, pte_bytes_of(mode_));
}

bool PageTable::map(VirtAddr va, Ppn ppn, uint64_t flags, unsigned level) {
  Ppn table = root_;
  for (unsigned l = levels() - 1; l > level; --l) {
    const PhysAddr a = slot_addr(table, va, l);
    uint64_t e = read_pte(a);
    if (!(e & pte::kV)) {
      auto next = frames_.alloc_unmovable();
      if (!next) return false;
      mem_.zero_page(*next);
      table_frames_.push_back(*next);
      e = pte::make(*next, pte::kV);
      write_pte(a, e);
    } else if (!pte::is_pointer(e)) {
      return false;  // a superpage already covers va
    }
    table = pte::ppn(e);
  }
  const PhysAddr a = slot_addr(table, va, level);
  const uint64_t old = read_pte(a);
  if ((old & pte::kV) && pte::is_pointer(old)) return false;  // smaller pages live below
  write_pte(a, pte::make(ppn, flags | pte::kV));
  return true;
}

std::optional<PteSlot> PageTable::find_leaf(VirtAddr va) const {
  Ppn table = root_;
  for (int l = int(levels()) - 1; l >= 0; --l) {
    const PhysAddr a = slot_addr(table, va, unsigned(l));
    const uint64_t e = read_pte(a);
    if (!(e & pte::kV)) return std::nullopt;
    if (!pte::is_pointer(e)) return PteSlot{a, e, unsigned(l)};
    table = pte::ppn(e);
  }
  return std::nullopt;
}

std::optional<PteSlot> PageTable::unmap(VirtAddr va) {
  auto slot = find_leaf(va);
  if (slot) write_pte(slot->addr, 0);
  return slot;
}

void PageTable::update(const PteSlot& slot, uint64_t entry) {
  write_pte(slot.addr, entry);
}

Ppn PageTable::frame_at(const PteSlot& leaf, VirtAddr va) const {
  const uint64_t frames = page_size(mode_, leaf.level) / kPageSize;
  return Ppn{pte::ppn(leaf.entry).value() + (vpn_of(va).value() & (frames - 1))};
}

bool PageTable::collapse(VirtAddr base, Ppn ppn, uint64_t flags, unsigned level) {
  Ppn table = root_;
  for (unsigned l = levels() - 1; l > level; --l) {
    const uint64_t e = read_pte(slot_addr(table, base, l));
    if (!(e & pte::kV) || !pte::is_pointer(e)) return false;
    table = pte::ppn(e);
  }
  const PhysAddr a = slot_addr(table, base, level);
  const uint64_t old = read_pte(a);
  if (!(old & pte::kV) || !pte::is_pointer(old)) return false;
  write_pte(a, pte::make(ppn, flags | pte::kV));
  free_table(pte::ppn(old), level - 1);
  return true;
}

void PageTable::free_table(Ppn table, unsigned level) {
  if (level > 0) {  // tables below it first
    for (uint64_t i = 0; i < kPageSize / pte_bytes_of(mode_); ++i) {
      const uint64_t e = read_pte(PhysAddr{base_of(table).value() + i * pte_bytes_of(mode_)});
      if ((e & pte::kV) && pte::is_pointer(e)) free_table(pte::ppn(e), level - 1);
    }
  }
  std::erase(table_frames_, table);
  frames_.free(table);
}

bool PageTable::split(const PteSlot& leaf) {
  if (leaf.level == 0) return false;
  auto next = frames_.alloc_unmovable();
  if (!next) return false;
  table_frames_.push_back(*next);
  const uint64_t entries = kPageSize / pte_bytes_of(mode_);
  const uint64_t step = page_size(mode_, leaf.level - 1) / kPageSize;  // frames each new leaf maps
  const uint64_t flags = leaf.entry & ~(pte::kPpnMask << pte::kPpnShift);
  for (uint64_t i = 0; i < entries; ++i) {
    const Ppn ppn{pte::ppn(leaf.entry).value() + i * step};
    write_pte(PhysAddr{base_of(*next).value() + i * pte_bytes_of(mode_)},
              (ppn.value() << pte::kPpnShift) | flags);
  }
  write_pte(leaf.addr, pte::make(*next, pte::kV));
  return true;
}

}  // namespace vmsim
