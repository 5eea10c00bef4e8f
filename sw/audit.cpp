// audit.cpp: the end-of-run check that the kernel's records agree.
//
//   frame bitmap  == page-table frames + resident pages + huge-page frames
//   every resident page: its frame marked used and owned by it, every
//                        mapping's PTE valid and pointing at it, and the
//                        replacement policy holding it exactly once
//   every page not resident: no valid PTE maps it
//   swap slot bitmap == the slots pages refer to, each used once
#include <set>
#include <string>
#include <unordered_set>

#include "sw/guest_runtime.h"

namespace vmsim {

std::vector<MemoryObject*> GuestRuntime::live_objects() const {
  std::vector<MemoryObject*> out;
  std::unordered_set<MemoryObject*> seen;
  for (const auto& p : procs_) {
    if (!p->alive) continue;
    for (const auto& [start, r] : p->as->regions()) {
      if (r.obj && seen.insert(r.obj.get()).second) out.push_back(r.obj.get());
    }
  }
  return out;
}

AuditReport GuestRuntime::audit() {
  AuditReport rep;
  auto problem = [&](std::string s) {
    if (rep.problems.size() < 32) rep.problems.push_back(std::move(s));
  };

  uint64_t table_frames = 0;
  for (const auto& p : procs_) {
    if (!p->alive) continue;
    table_frames += p->as->table().table_frames().size();
    for (Ppn f : p->as->table().table_frames()) {
      if (!frames_.in_use(f))
        problem("page-table frame " + std::to_string(f.value()) + " is free in the bitmap");
    }
  }

  uint64_t resident = 0;
  std::set<uint64_t> slots;
  for (MemoryObject* obj : live_objects()) {
    for (auto& [index, page] : obj->pages) {
      const std::string what = "page " + std::to_string(index) + " of '" + obj->name + "'";
      if (page.slot) {
        if (!swap_.in_use(*page.slot))
          problem(what + " refers to free swap slot " + std::to_string(*page.slot));
        if (!slots.insert(*page.slot).second)
          problem("swap slot " + std::to_string(*page.slot) + " used twice");
      }
      if (page.state == PageState::kResident) {
        ++resident;
        if (!frames_.in_use(page.frame))
          problem(what + " is in free frame " + std::to_string(page.frame.value()));
        if (frame_owner_[page.frame.value()] != &page) problem(what + ": frame owner disagrees");
        if (!policy_->contains(page)) problem(what + " is resident but on no reclaim list");
        for (const PageMapping& m : page.maps) {
          auto leaf = m.proc->as->table().find_leaf(m.va);
          if (!leaf || pte::ppn(leaf->entry) != page.frame)
            problem(what + ": a mapping's PTE does not point at its frame");
        }
      } else {
        if (policy_->contains(page)) problem(what + " is not resident but on a reclaim list");
        if (!page.maps.empty()) problem(what + " is not resident but still has mappings");
        if (page.state == PageState::kSwapped && !page.slot) problem(what + " is swapped without a slot");
      }
    }
  }
  // No valid user PTE may point at a page that is not resident.
  for (const auto& p : procs_) {
    if (!p->alive) continue;
    for (const auto& [start, r] : p->as->regions()) {
      if (!r.obj) continue;
      for (const auto& [index, page] : r.obj->pages) {
        if (index < r.obj_offset || index >= r.obj_offset + r.length / kPageSize) continue;
        if (page.state == PageState::kResident) continue;
        const VirtAddr va{r.start.value() + (index - r.obj_offset) * kPageSize};
        if (p->as->table().find_leaf(va))
          problem("pid " + std::to_string(p->pid) + " maps a page that is not resident");
      }
    }
  }
  if (resident != user_frames_) {
    problem("resident pages (" + std::to_string(resident) + ") != user frames counted (" +
            std::to_string(user_frames_) + ")");
  }
  if (policy_->size() != resident) {
    problem("reclaim lists hold " + std::to_string(policy_->size()) + " pages, " + std::to_string(resident) +
            " are resident");
  }
  if (frames_.used() != table_frames + resident + fixed_frames_) {
    problem("frame bitmap has " + std::to_string(frames_.used()) + " frames used, the kernel accounts for " +
            std::to_string(table_frames + resident + fixed_frames_));
  }
  if (slots.size() != swap_.used()) {
    problem("swap bitmap has " + std::to_string(swap_.used()) + " slots used, pages refer to " +
            std::to_string(slots.size()));
  }
  return rep;
}

}  // namespace vmsim
