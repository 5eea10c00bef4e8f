#include "sw/kernel/resident_pages.h"

namespace vmsim {

void ResidentPages::make_resident(Page& page, Ppn frame) {
  page.frame = frame;
  page.state = PageState::kResident;
  page.dirty = false;
  frames_.set_owner(frame, &page);
  policy_.insert(page);
}

void ResidentPages::release_frame(Page& page) {
  frames_.release_user_frame(page.frame);
}

void ResidentPages::move_frame(Page& page, Ppn to) {
  const bool other_node = frames_.phys().node_of(to) != frames_.phys().node_of(page.frame);
  if (other_node) policy_.remove(page);
  frames_.set_owner(page.frame, nullptr);
  page.frame = to;
  frames_.set_owner(to, &page);
  if (other_node) policy_.insert(page);
}

void ResidentPages::free_page(Page& page) {
  rmap_.unmap_all(page);
  if (page.state == PageState::kResident) {
    policy_.remove(page);
    release_frame(page);
  }
  if (page.slot) swap_.release(*page.slot);
  page.slot.reset();
  page.swap_valid = false;
  page.state = PageState::kEmpty;
}

std::vector<std::pair<uint64_t, VirtAddr>> ResidentPages::pages_in(const Region& r) {
  return pages_in(r, *r.obj);
}

std::vector<std::pair<uint64_t, VirtAddr>> ResidentPages::pages_in(const Region& r, MemoryObject& obj) {
  std::vector<std::pair<uint64_t, VirtAddr>> out;
  const uint64_t first = r.obj_offset, count = r.length / kPageSize;
  for (const auto& [index, page] : obj.pages) {
    if (index >= first && index - first < count) {
      out.push_back({index, VirtAddr{r.start.value() + (index - first) * kPageSize}});
    }
  }
  return out;
}

void ResidentPages::release_region(Process& p, const Region& r) {
  if (!r.obj) return;  // fixed mappings own no pages
  const bool last_user = --r.obj->users == 0;
  // A file's pages stay in the page cache when the last mapping goes.
  const bool gone = !r.obj->file && (!r.obj->shared || last_user);
  const auto pages = pages_in(r);
  for (const auto& [index, va] : pages) {
    Page& page = r.obj->pages.at(index);
    rmap_.unmap_one(page, p, va);
    if (gone) free_page(page);
  }
  if (gone) {
    for (const auto& [index, va] : pages) r.obj->pages.erase(index);
  }
  unmap_chain(p, r);
  if (last_user && r.obj->backing) drop_backing(*r.obj);
}

void ResidentPages::unmap_chain(Process& p, const Region& r) {
  for (MemoryObject* o = r.obj->backing.get(); o; o = o->backing.get()) {
    for (const auto& [index, va] : pages_in(r, *o)) rmap_.unmap_one(o->pages.at(index), p, va);
  }
}

void ResidentPages::drop_backing(MemoryObject& top) {
  std::shared_ptr<MemoryObject> below = std::move(top.backing);
  while (below && --below->shadows == 0 && below->users == 0 && !below->file) {
    for (auto& [index, page] : below->pages) free_page(page);
    below->pages.clear();
    below = std::move(below->backing);
  }
}

void ResidentPages::unmap_region(Process& p, const Region& r) {
  if (!r.obj) return;
  for (const auto& [index, va] : pages_in(r)) rmap_.unmap_one(r.obj->pages.at(index), p, va);
  unmap_chain(p, r);
}

}  // namespace vmsim
