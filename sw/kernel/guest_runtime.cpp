#include "sw/kernel/guest_runtime.h"

#include <unordered_set>

namespace vmsim {

GuestRuntime::GuestRuntime(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, KernelServices services)
    : mem_(mem),
      mmu_(mmu),
      cfg_(cfg),
      svc_(std::move(services)),
      frames_(mem.size_bytes() / kPageSize, cfg),
      policy_(
          std::make_unique<NodeLists>(frames_.phys(), cfg.policy, PolicyArgs{cfg.future}, cfg.swappiness)),
      swap_(svc_.swap) {
  stats_.nodes.resize(frames_.nodes());
  mmu_.set_control(cfg.control);
  switch_to(create_process("init"));
  mmu_.sfence(std::nullopt, std::nullopt);
}

Process& GuestRuntime::create_process(const std::string& name, int oom_score_adj) {
  KernelTime::Section section(time_);
  alloc_.ensure_table_reserve();
  Process& p = procs_.create(name, oom_score_adj);
  p.home_node = unsigned(p.pid - 1) % frames_.nodes();
  p.numa_policy = cfg_.numa_policy;
  return p;
}

Process* GuestRuntime::fork(Process& parent) {
  KernelTime::Section section(time_);
  alloc_.ensure_table_reserve();
  Process* child = procs_.fork(parent);
  if (child) {
    ++stats_.forks;
    child->home_node = parent.home_node;
    child->numa_policy = parent.numa_policy;
  }
  return child;
}

// A page down a backing chain counts while some live region in range still
// reads it (has written no copy of its own above it).
uint64_t GuestRuntime::pages_shared_since_fork() const {
  std::unordered_set<const Page*> shared;
  for (const auto& p : procs_.all()) {
    if (!p->alive) continue;
    for (const auto& [start, r] : p->as->regions()) {
      if (!r.obj || !r.obj->backing) continue;
      const uint64_t first = r.obj_offset, last = r.obj_offset + r.length / kPageSize;
      for (const MemoryObject* o = r.obj->backing.get(); o; o = o->backing.get()) {
        for (const auto& [index, page] : o->pages) {
          if (index >= first && index < last && r.obj->visible(index) == &page) shared.insert(&page);
        }
      }
    }
  }
  return shared.size();
}

bool GuestRuntime::test_and_clear_young(VirtAddr va) {
  KernelTime::Section section(time_);
  const Region* r = space().find(va);
  if (!r || !r->obj) return false;
  auto it = r->obj->pages.find(r->page_index(va));
  return it != r->obj->pages.end() && it->second.state == PageState::kResident &&
         rmap_.test_and_clear(it->second);
}

}  // namespace vmsim
