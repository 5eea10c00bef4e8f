#include "sw/kernel/audit.h"

#include <unordered_set>

namespace vmsim {

AuditReport Auditor::run() {
  rep_ = {};
  std::set<uint64_t> slots;
  const uint64_t table_frames = check_table_frames();
  const uint64_t resident = check_pages(slots);
  check_no_stale_mappings();
  check_totals(table_frames, resident, slots);
  return rep_;
}

void Auditor::problem(std::string s) {
  if (rep_.problems.size() < 32) rep_.problems.push_back(std::move(s));
}

std::vector<MemoryObject*> Auditor::live_objects() const {
  std::vector<MemoryObject*> out;
  std::unordered_set<MemoryObject*> seen;
  for (const auto& [f, obj] : cache_.objects()) {  // cached whether mapped or not
    seen.insert(obj.get());
    out.push_back(obj.get());
  }
  for (const auto& p : procs_.all()) {
    if (!p->alive) continue;
    for (const auto& [start, r] : p->as->regions()) {
      for (MemoryObject* o = r.obj.get(); o && seen.insert(o).second; o = o->backing.get()) out.push_back(o);
    }
  }
  return out;
}

uint64_t Auditor::check_table_frames() {
  uint64_t n = 0;
  for (const auto& p : procs_.all()) {
    if (!p->alive) continue;
    n += p->as->table().table_frames().size();
    for (Ppn f : p->as->table().table_frames()) {
      if (!frames_.phys().in_use(f))
        problem("page-table frame " + std::to_string(f.value()) + " is free in the bitmap");
    }
  }
  return n;
}

uint64_t Auditor::check_pages(std::set<uint64_t>& slots) {
  uint64_t resident = 0;
  for (MemoryObject* obj : live_objects()) {
    for (auto& [index, page] : obj->pages) {
      check_page(page, "page " + std::to_string(index) + " of '" + obj->name + "'", slots, resident);
    }
  }
  return resident;
}

void Auditor::check_page(const Page& page, const std::string& what, std::set<uint64_t>& slots,
                         uint64_t& resident) {
  if (page.slot) {
    if (!swap_.in_use(*page.slot)) problem(what + " refers to free swap slot " + std::to_string(*page.slot));
    if (!slots.insert(*page.slot).second) problem("swap slot " + std::to_string(*page.slot) + " used twice");
  }
  if (page.obj->file && (page.slot || page.state == PageState::kSwapped)) problem(what + " is in swap");
  if (page.state != PageState::kResident) {
    if (policy_.contains(page)) problem(what + " is not resident but on a reclaim list");
    if (!page.maps.empty()) problem(what + " is not resident but still has mappings");
    if (page.state == PageState::kSwapped && !page.slot) problem(what + " is swapped without a slot");
    return;
  }
  ++resident;
  if (!frames_.phys().in_use(page.frame))
    problem(what + " is in free frame " + std::to_string(page.frame.value()));
  if (frames_.owner(page.frame) != &page) problem(what + ": frame owner disagrees");
  if (!policy_.contains(page)) problem(what + " is resident but on no reclaim list");
  for (const PageMapping& m : page.maps) check_mapping(page, m, what);
  if (page.obj->file) {
    if (std::string bad = cache_.check_clean_page(page); !bad.empty()) problem(what + " " + bad);
  }
}

void Auditor::check_mapping(const Page& page, const PageMapping& m, const std::string& what) {
  auto leaf = m.proc->as->table().find_leaf(m.va);
  if (!leaf || m.proc->as->table().frame_at(*leaf, m.va) != page.frame) {
    problem(what + ": a mapping's PTE does not point at its frame");
    return;
  }
  if (!(leaf->entry & pte::kW)) return;
  // A store through this PTE changes the page in place. Right only when the
  // region's own object holds it, and no fork froze that object (a file's
  // object is written in place by its shared mappings: its shadows are
  // private mappings, which copy).
  const Region* r = m.proc->as->find(m.va);
  if (!r || r->obj.get() != page.obj)
    problem(what + " is mapped writable where it is only read (copy on write skipped)");
  else if (page.obj->shadows && !page.obj->file)
    problem(what + " is shared since a fork but mapped writable");
}

// No valid user PTE may point at a page that is not resident.
void Auditor::check_no_stale_mappings() {
  for (const auto& p : procs_.all()) {
    if (!p->alive) continue;
    for (const auto& [start, r] : p->as->regions()) {
      if (!r.obj) continue;
      for (const auto& [index, page] : r.obj->pages) {
        if (index < r.obj_offset || index >= r.obj_offset + r.length / kPageSize) continue;
        if (page.state == PageState::kResident) continue;
        const VirtAddr va{r.start.value() + (index - r.obj_offset) * kPageSize};
        auto leaf = p->as->table().find_leaf(va);
        // Not resident here: the PTE may only map what a fork left shared below.
        const Page* seen = r.obj->visible(index);
        if (leaf && (!seen || seen->state != PageState::kResident ||
                     p->as->table().frame_at(*leaf, va) != seen->frame))
          problem("pid " + std::to_string(p->pid) + " maps a page that is not resident");
      }
    }
  }
}

void Auditor::check_totals(uint64_t table_frames, uint64_t resident, const std::set<uint64_t>& slots) {
  const auto n = [](uint64_t v) { return std::to_string(v); };
  if (resident != frames_.user_frames()) {
    problem("resident pages (" + n(resident) + ") != user frames counted (" + n(frames_.user_frames()) + ")");
  }
  if (policy_.size() != resident) {
    problem("reclaim lists hold " + n(policy_.size()) + " pages, " + n(resident) + " are resident");
  }
  const uint64_t accounted = table_frames + resident + frames_.fixed_frames();
  if (frames_.phys().used() != accounted) {
    problem("frame bitmap has " + n(frames_.phys().used()) + " frames used, the kernel accounts for " +
            n(accounted));
  }
  for (const std::string& p : frames_.phys().check()) problem(p);
  if (slots.size() != swap_.used()) {
    problem("swap bitmap has " + n(swap_.used()) + " slots used, pages refer to " + n(slots.size()));
  }
}

}  // namespace vmsim
