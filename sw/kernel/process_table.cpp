#include "sw/kernel/process_table.h"

#include <algorithm>

namespace vmsim {

namespace {
// The level of the pages kernel regions are mapped with: 1 GiB (level 2), or
// Sv32's 4 MiB.
unsigned kernel_map_level(PagingMode m) {
  return std::min(2u, levels_of(m) - 1);
}
}  // namespace

Process& ProcessTable::create(const std::string& name, int oom_score_adj) {
  auto p = std::make_unique<Process>();
  p->pid = int(procs_.size()) + 1;
  p->name = name;
  p->oom_score_adj = std::clamp(oom_score_adj, -1000, 1000);
  const Asid asid{first_asid_.value() + procs_.size()};
  p->as = std::make_unique<AddressSpace>(asid, PageTable(mem_, frames_, mode_));
  procs_.push_back(std::move(p));
  Process& proc = *procs_.back();
  for (const Region& k : kernel_regions_) map_kernel_region(proc, k);
  return proc;
}

size_t ProcessTable::max_processes(PagingMode mode, Asid first_asid) {
  const uint64_t asids = is_sv32(mode) ? satp::kAsidMask32 + 1 : satp::kAsidMask64 + 1;
  return first_asid.value() < asids ? asids - first_asid.value() : 0;
}

namespace {
std::shared_ptr<MemoryObject> shadow_of(const std::shared_ptr<MemoryObject>& obj) {
  auto top = std::make_shared<MemoryObject>();
  top->name = obj->name;
  top->backing = obj;
  ++obj->shadows;
  return top;
}
}  // namespace

Process* ProcessTable::fork(Process& parent) {
  KernelTime::Section section(time_);
  if (procs_.size() >= process_limit()) return nullptr;
  Process& child = create(parent.name, parent.oom_score_adj);
  child.brk_start = parent.brk_start, child.brk_end = parent.brk_end;
  std::map<MemoryObject*, std::pair<std::shared_ptr<MemoryObject>, std::shared_ptr<MemoryObject>>> tops;
  std::vector<Region> regions;
  for (const auto& [start, r] : parent.as->regions()) {
    if (!r.global && r.obj) regions.push_back(r);
  }
  for (Region r : regions) {
    Region c = r;
    if (!r.obj->shared) {
      auto [it, fresh] = tops.try_emplace(r.obj.get());
      if (fresh) it->second = {shadow_of(r.obj), shadow_of(r.obj)};
      for (const auto& [index, va] : ResidentPages::pages_in(r)) {
        resident_.rmap().unmap_one(r.obj->pages.at(index), parent, va);
      }
      --r.obj->users;
      parent.as->set_object(r.start, it->second.first);
      c.obj = it->second.second;
      ++it->second.first->users;
    }
    ++c.obj->users;
    child.as->add_region(c);
  }
  mmu_.sfence(std::nullopt, parent.as->asid());
  return &child;
}

bool ProcessTable::map_kernel_region(Process& p, const Region& k) {
  if (!p.as->add_region(k)) return false;
  const unsigned level = kernel_map_level(mode_);
  const uint64_t big = page_size(mode_, level);
  const uint64_t flags = k.perms.pte_flags() | pte::kA | pte::kD | pte::kG;
  for (uint64_t off = 0; off < k.length; off += big) {
    if (!p.as->table().map(VirtAddr{k.start.value() + off}, Ppn{off >> kPageShift}, flags, level))
      return false;
  }
  return true;
}

bool ProcessTable::add_kernel_region(const Region& r) {
  kernel_regions_.push_back(r);
  for (auto& p : procs_) {
    if (p->alive && !map_kernel_region(*p, r)) return false;
  }
  return true;
}

Process* ProcessTable::find(int pid) {
  for (auto& p : procs_) {
    if (p->pid == pid) return p.get();
  }
  return nullptr;
}

void ProcessTable::switch_to(Process& p) {
  KernelTime::Section section(time_);
  current_ = &p;
  mmu_.write_satp(p.as->satp());
}

void ProcessTable::exit(Process& p, const std::string& reason) {
  KernelTime::Section section(time_);
  if (!p.alive) return;
  p.alive = false;
  p.end_reason = reason;
  std::vector<Region> regions;
  for (const auto& [start, r] : p.as->regions()) regions.push_back(r);
  for (const Region& r : regions) {
    p.as->carve(r.start, r.end());
    if (!r.global) resident_.release_region(p, r);
  }
  for (Ppn f : p.as->table().table_frames()) frames_.free(f);
  p.as->table().forget_frames();
  mmu_.sfence(std::nullopt, p.as->asid());
}

}  // namespace vmsim
