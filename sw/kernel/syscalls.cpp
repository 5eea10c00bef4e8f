#include "sw/kernel/syscalls.h"

#include <algorithm>
#include <bit>

namespace vmsim {

namespace {
uint64_t round_up_to_page(uint64_t n) {
  return (n + kPageSize - 1) / kPageSize * kPageSize;
}
std::string hex(uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), digits[v & 15]);
    v >>= 4;
  } while (v);
  return "0x" + s;
}
}  // namespace

bool MemorySyscalls::add_lazy_region(const Region& r) {
  KernelTime::Section section(time_);
  Region region = r;
  if (!region.obj) {
    region.obj = std::make_shared<MemoryObject>();
    region.obj->name = r.name;
  }
  ++region.obj->users;
  if (!space().add_region(region)) {
    --region.obj->users;
    return false;
  }
  return true;
}

bool MemorySyscalls::add_shared_region(const Region& r, std::shared_ptr<MemoryObject> obj) {
  Region region = r;
  obj->shared = true;
  region.obj = std::move(obj);
  return add_lazy_region(region);
}

bool MemorySyscalls::add_eager_region(const Region& r, unsigned level) {
  KernelTime::Section section(time_);
  const uint64_t page = page_size(mode(), level);
  if (level >= space().table().levels() || r.start.value() % page || r.length % page) return false;
  if (!space().add_region(r)) return false;
  const uint64_t frames_per_page = page / kPageSize;
  const uint64_t flags = r.perms.pte_flags() | pte::kA | pte::kD | (r.global ? pte::kG : 0);
  for (uint64_t off = 0; off < r.length; off += page) {
    const auto order = static_cast<unsigned>(std::countr_zero(frames_per_page));
    auto frame = frames_.take_fixed(order);
    if (!frame && compactor_.compact(order)) frame = frames_.take_fixed(order);
    if (!frame) return false;
    for (uint64_t i = 0; i < frames_per_page; ++i) mem_.zero_page(Ppn{frame->value() + i});
    if (!space().table().map(VirtAddr{r.start.value() + off}, *frame, flags, level)) return false;
  }
  mmu_.sfence(std::nullopt, std::nullopt);
  return true;
}

bool MemorySyscalls::add_direct_map(VirtAddr base) {
  KernelTime::Section section(time_);
  const unsigned level = std::min(2u, levels_of(mode()) - 1);
  const uint64_t big = page_size(mode(), level);
  const uint64_t len = (mem_.size_bytes() + big - 1) / big * big;
  if (!procs_.add_kernel_region({"direct-map", base, len, Perms{true, true, false, false}, true}))
    return false;
  mmu_.sfence(std::nullopt, std::nullopt);
  return true;
}

std::optional<VirtAddr> MemorySyscalls::mmap(uint64_t length, Perms perms,
                                             std::shared_ptr<MemoryObject> shared) {
  KernelTime::Section section(time_);
  if (length == 0) return std::nullopt;
  length = round_up_to_page(length);
  auto at = find_mmap_gap(length);
  if (!at) return std::nullopt;
  Region r{"mmap", *at, length, perms};
  r.perms.user = true;
  const bool ok = shared ? add_shared_region(r, std::move(shared)) : add_lazy_region(r);
  return ok ? at : std::nullopt;
}

std::optional<VirtAddr> MemorySyscalls::find_mmap_gap(uint64_t length) const {
  // Below the user half's top, above the heap: a simple bottom-up search.
  const uint64_t top = user_top();
  return procs_.current().as->find_gap(length, VirtAddr{top / 4}, VirtAddr{top});
}

MemorySyscalls::FileMapping MemorySyscalls::mmap_file(FileId file, uint64_t offset, uint64_t length,
                                                      Perms perms, bool shared) {
  KernelTime::Section section(time_);
  std::shared_ptr<MemoryObject> obj = cache_.object(file);
  if (!obj) return {std::nullopt, "mmap: there is no file " + std::to_string(file.value())};
  if (offset % kPageSize) return {std::nullopt, "mmap: offset " + hex(offset) + " is not page-aligned"};
  if (length == 0) return {std::nullopt, "mmap: length 0"};
  length = round_up_to_page(length);
  const uint64_t bytes = cache_.files()->size(file);
  if (offset / kPageSize > obj->file_pages || length / kPageSize > obj->file_pages - offset / kPageSize) {
    return {std::nullopt, "mmap: bytes [" + hex(offset) + ", " + hex(offset + length) + ") of file '" +
                              obj->name + "' reach past its end (" + std::to_string(bytes) + " bytes)"};
  }
  const std::optional<VirtAddr> at = find_mmap_gap(length);
  if (!at) return {std::nullopt, "mmap: no gap of " + std::to_string(length) + " bytes in the address space"};
  Region r{"mmap " + obj->name, *at, length, perms};
  r.perms.user = true;
  r.obj_offset = offset / kPageSize;
  if (shared) {
    if (!add_shared_region(r, obj)) return {std::nullopt, "mmap: the region could not be added"};
    return {at, {}};
  }
  r.obj = std::make_shared<MemoryObject>();  // a private mapping: its own pages over the file's
  r.obj->name = obj->name + " (private)";
  r.obj->backing = obj;
  ++obj->shadows;
  if (!add_lazy_region(r)) {
    --obj->shadows;
    return {std::nullopt, "mmap: the region could not be added"};
  }
  return {at, {}};
}

std::string MemorySyscalls::msync(VirtAddr start, uint64_t length) {
  KernelTime::Section section(time_);
  if (start.value() % kPageSize) return "msync: address " + hex(start.value()) + " is not page-aligned";
  const uint64_t end = start.value() + round_up_to_page(length);
  for (uint64_t at = start.value(); at < end;) {
    const Region* r = space().find(VirtAddr{at});
    if (!r) return "msync: address " + hex(at) + " is not mapped";
    bool file_backed = false;  // a shared file mapping, or a private one (a file down its chain)
    for (const MemoryObject* o = r->obj.get(); o; o = o->backing.get()) file_backed = file_backed || o->file;
    if (!file_backed) {
      return "msync: [" + hex(at) + ", " + hex(std::min(end, r->end().value())) + ") is anonymous memory ('" +
             r->name + "'), not a file mapping";
    }
    const uint64_t stop = std::min(end, r->end().value());
    if (r->obj->file) {
      const uint64_t first = r->page_index(VirtAddr{at});
      if (!cache_.sync(*r->obj, first, (stop - at) / kPageSize))
        return "msync: I/O error writing file '" + r->obj->name + "'";
    }
    at = stop;
  }
  return {};
}

bool MemorySyscalls::munmap(VirtAddr start, uint64_t length) {
  KernelTime::Section section(time_);
  if (start.value() % kPageSize || length == 0) return false;
  const VirtAddr end{start.value() + round_up_to_page(length)};
  for (const Region& r : space().carve(start, end)) resident_.release_region(procs_.current(), r);
  mmu_.sfence(std::nullopt, space().asid());
  return true;
}

bool MemorySyscalls::mprotect(VirtAddr start, uint64_t length, Perms perms) {
  KernelTime::Section section(time_);
  if (start.value() % kPageSize || length == 0) return false;
  const VirtAddr end{start.value() + round_up_to_page(length)};
  perms.user = true;
  for (Region r : space().carve(start, end)) {
    r.perms = perms;
    space().add_region(r);
    if (!r.obj) continue;
    if (!(perms.read || perms.write || perms.exec)) {  // PROT_NONE: no leaf can say it
      resident_.unmap_region(procs_.current(), r);
      continue;
    }
    // Mapped pages take the new rights now; A/D are kept. A leaf may map a
    // page down the object's backing chain (a fork's, or a private file
    // mapping's file page), read until a store copies it: it never gets W,
    // or that store would change the shared page in place.
    for (const auto& [index, va] : ResidentPages::pages_in(r)) {
      const Page& page = r.obj->pages.at(index);
      resident_.rmap().split_huge(procs_.current(), va);  // a transparent huge page: one page's rights change
      if (auto slot = space().table().find_leaf(va)) {
        const bool own =
            page.state == PageState::kResident && space().table().frame_at(*slot, va) == page.frame;
        const uint64_t keep = slot->entry & ~(pte::kR | pte::kW | pte::kX | pte::kU);
        space().table().update(*slot, keep | (perms.pte_flags() & ~(own ? 0 : pte::kW)));
      }
    }
  }
  mmu_.sfence(std::nullopt, space().asid());
  return true;
}

std::optional<VirtAddr> MemorySyscalls::brk(std::optional<VirtAddr> new_end) {
  KernelTime::Section section(time_);
  Process& p = procs_.current();
  if (p.brk_start == VirtAddr{}) {  // first call: the heap starts empty at 256 MiB
    p.brk_start = p.brk_end = VirtAddr{0x1000'0000};
  }
  if (!new_end) return p.brk_end;
  const uint64_t want = round_up_to_page(new_end->value());
  if (want < p.brk_start.value()) return std::nullopt;
  if (want > p.brk_end.value()) {
    const uint64_t len = want - p.brk_end.value();
    if (!space().find_gap(len, p.brk_end, VirtAddr{want})) return std::nullopt;
    if (!add_lazy_region({"heap", p.brk_end, len, Perms{true, true, false, true}})) return std::nullopt;
  } else if (want < p.brk_end.value()) {
    munmap(VirtAddr{want}, p.brk_end.value() - want);
  }
  p.brk_end = VirtAddr{want};
  return p.brk_end;
}

uint64_t MemorySyscalls::user_top() const {
  return is_sv32(mode()) ? 0xC000'0000 : uint64_t{1} << (va_bits_of(mode()) - 1);
}

std::optional<VirtAddr> MemorySyscalls::mremap(VirtAddr old, uint64_t old_len, uint64_t new_len,
                                               bool may_move) {
  KernelTime::Section section(time_);
  if (old.value() % kPageSize || old_len == 0 || new_len == 0) return std::nullopt;
  old_len = round_up_to_page(old_len);
  new_len = round_up_to_page(new_len);
  const VirtAddr old_end{old.value() + old_len};
  const Region* r = space().find(old);
  const Process& p = procs_.current();
  const bool in_heap = old < p.brk_end && old_end > p.brk_start;
  if (!r || !r->obj || old_end > r->end() || in_heap) return std::nullopt;
  if (new_len <= old_len) {  // shrink: the tail goes as munmap would take it
    if (new_len < old_len) munmap(VirtAddr{old.value() + new_len}, old_len - new_len);
    return old;
  }
  if (r->obj->backing) return std::nullopt;  // copy-on-write since a fork: it neither grows nor moves
  const uint64_t grow = new_len - old_len;
  const std::optional<VirtAddr> gap = space().find_gap(grow, old_end, VirtAddr{old_end.value() + grow});
  const bool room_after = old_end == r->end() && gap == old_end && old_end.value() + grow <= user_top();
  std::optional<VirtAddr> at;
  if (room_after) {
    at = old;  // grow in place: the same pages, more of them to come lazily
  } else if (may_move) {
    at = space().find_gap(new_len, VirtAddr{user_top() / 4}, VirtAddr{user_top()});
  }
  if (!at) return std::nullopt;
  Region moved = space().carve(old, old_end).front();  // the range lies in one region: one piece
  // Growing takes the object's next page indices. They are free only when no
  // other region (what is left of a split one, another process's shared
  // mapping) refers to the object; otherwise the new pages would alias
  // theirs. Linux keys anonymous pages by address; this runtime by index.
  if (moved.obj->users != 1 || moved.obj->shared) {
    space().add_region(moved);
    return std::nullopt;
  }
  if (*at != old) {
    for (const auto& [index, va] : ResidentPages::pages_in(moved))
      move_pte(moved.obj->pages.at(index), va, VirtAddr{at->value() + (va.value() - old.value())});
  }
  moved.start = *at;
  moved.length = new_len;
  space().add_region(moved);
  mmu_.sfence(std::nullopt, space().asid());
  return at;
}

void MemorySyscalls::move_pte(Page& page, VirtAddr from, VirtAddr to) {
  alloc_.ensure_table_reserve();  // may reclaim, even this page: move_one looks it up after
  resident_.rmap().move_one(page, procs_.current(), from, to);
}

}  // namespace vmsim
