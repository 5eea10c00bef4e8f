#include "sw/kernel/guest_runtime.h"

#include <unordered_set>

namespace vmsim {

GuestRuntime::GuestRuntime(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, KernelServices services)
    : mem_(mem),
      mmu_(mmu),
      cfg_(cfg),
      svc_(std::move(services)),
      policy_(make_policy(cfg.policy, PolicyArgs{cfg.future})),
      frames_(mem.size_bytes() / kPageSize, cfg),
      swap_(svc_.swap) {
  mmu_.set_control(cfg.control);
  switch_to(create_process("init"));
  mmu_.sfence(std::nullopt, std::nullopt);
}

Process& GuestRuntime::create_process(const std::string& name, int oom_score_adj) {
  KernelTime::Section section(time_);
  alloc_.ensure_table_reserve();
  return procs_.create(name, oom_score_adj);
}

Process* GuestRuntime::fork(Process& parent) {
  KernelTime::Section section(time_);
  alloc_.ensure_table_reserve();
  Process* child = procs_.fork(parent);
  if (child) ++stats_.forks;
  return child;
}

uint64_t GuestRuntime::pages_shared_since_fork() const {
  std::unordered_set<const MemoryObject*> seen;
  uint64_t n = 0;
  for (const auto& p : procs_.all()) {
    if (!p->alive) continue;
    for (const auto& [start, r] : p->as->regions()) {
      for (const MemoryObject* o = r.obj ? r.obj->backing.get() : nullptr; o && seen.insert(o).second;
           o = o->backing.get()) {
        for (const auto& [index, page] : o->pages) n += page.state != PageState::kEmpty;
      }
    }
  }
  return n;
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
