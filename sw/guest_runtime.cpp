#include "sw/guest_runtime.h"

#include <algorithm>
#include <stdexcept>

namespace vmsim {

namespace {
// Linux's defaults scale with memory; these do too: min about 1/64 of the
// frames (at least 8), low and high 5/4 and 3/2 of it.
Watermarks default_watermarks(uint64_t frames) {
  const uint64_t min = std::max<uint64_t>(8, frames / 64);
  return {min, min * 5 / 4, min * 3 / 2};
}
}  // namespace

GuestRuntime::GuestRuntime(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, KernelServices services)
    : mem_(mem),
      mmu_(mmu),
      cfg_(cfg),
      svc_(std::move(services)),
      frames_(mem.size_bytes() / kPageSize),
      swap_(svc_.swap),
      policy_(make_policy(cfg.policy, cfg.future)) {
  frame_owner_.assign(frames_.total(), nullptr);
  wm_ = cfg.watermarks.high ? cfg.watermarks : default_watermarks(frames_.total());
  if (!(wm_.min < wm_.low && wm_.low < wm_.high)) {
    throw std::invalid_argument("watermarks must satisfy min < low < high");
  }
  if (wm_.high >= frames_.total())
    throw std::invalid_argument("the high watermark must be below the number of frames");
  mmu_.set_control(cfg.control);
  switch_to(create_process("init"));
  mmu_.sfence(std::nullopt, std::nullopt);
}

GuestRuntime::~GuestRuntime() = default;

void GuestRuntime::flush_io() {
  const uint64_t cycles = pending_io_;
  pending_io_ = 0;
  // Called even with nothing pending: the end of a kernel section is where
  // the co-simulation may let other threads run.
  if (svc_.io_wait) svc_.io_wait(cycles);
}

uint64_t GuestRuntime::now() const {
  return svc_.clock ? svc_.clock() : stats_.swap_cycles + kernel_cycles_ + mmu_.cycles();
}

// ============================================================================
// Processes
// ============================================================================

Process& GuestRuntime::create_process(const std::string& name, int oom_score_adj) {
  Section section(*this);
  auto p = std::make_unique<Process>();
  p->pid = int(procs_.size()) + 1;
  p->name = name;
  p->oom_score_adj = std::clamp(oom_score_adj, -1000, 1000);
  const Asid asid{cfg_.asid.value() + procs_.size()};
  ensure_table_reserve();
  p->as = std::make_unique<AddressSpace>(asid, PageTable(mem_, frames_, cfg_.mode));
  procs_.push_back(std::move(p));
  Process& proc = *procs_.back();
  // Kernel mappings (global, supervisor only) appear in every address space.
  for (const Region& k : kernel_regions_) {
    proc.as->add_region(k);
    const unsigned level = std::min(2u, levels_of(cfg_.mode) - 1);
    const uint64_t big = page_size(cfg_.mode, level);
    for (uint64_t off = 0; off < k.length; off += big) {
      proc.as->table().map(VirtAddr{k.start.value() + off}, Ppn{off >> kPageShift},
                           k.perms.pte_flags() | pte::kA | pte::kD | pte::kG, level);
    }
  }
  return proc;
}

Process* GuestRuntime::find_process(int pid) {
  for (auto& p : procs_) {
    if (p->pid == pid) return p.get();
  }
  return nullptr;
}

void GuestRuntime::switch_to(Process& p) {
  Section section(*this);
  current_ = &p;
  mmu_.write_satp(p.as->satp());
}

void GuestRuntime::exit_process(Process& p, const std::string& reason) {
  Section section(*this);
  if (!p.alive) return;
  p.alive = false;
  p.end_reason = reason;
  std::vector<Region> regions;
  for (const auto& [start, r] : p.as->regions()) regions.push_back(r);
  for (const Region& r : regions) {
    p.as->carve(r.start, r.end());
    if (!r.global) release_range(p, r);
  }
  for (Ppn f : p.as->table().table_frames()) frames_.free(f);
  p.as->table().forget_frames();
  mmu_.sfence(std::nullopt, p.as->asid());
}

// ============================================================================
// Regions and memory system calls
// ============================================================================

bool GuestRuntime::add_lazy_region(const Region& r) {
  Section section(*this);
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

bool GuestRuntime::add_shared_region(const Region& r, std::shared_ptr<MemoryObject> obj) {
  Region region = r;
  obj->shared = true;
  region.obj = std::move(obj);
  return add_lazy_region(region);
}

bool GuestRuntime::add_eager_region(const Region& r, unsigned level) {
  Section section(*this);
  const uint64_t page = page_size(cfg_.mode, level);
  if (level >= space().table().levels() || r.start.value() % page || r.length % page) return false;
  if (!space().add_region(r)) return false;
  const uint64_t frames_per_page = page / kPageSize;
  const uint64_t flags = r.perms.pte_flags() | pte::kA | pte::kD | (r.global ? pte::kG : 0);
  for (uint64_t off = 0; off < r.length; off += page) {
    auto frame = frames_.alloc_contiguous(frames_per_page, frames_per_page);
    if (!frame) return false;
    for (uint64_t i = 0; i < frames_per_page; ++i) mem_.zero_page(Ppn{frame->value() + i});
    fixed_frames_ += frames_per_page;
    if (!space().table().map(VirtAddr{r.start.value() + off}, *frame, flags, level)) return false;
  }
  mmu_.sfence(std::nullopt, std::nullopt);
  return true;
}

bool GuestRuntime::add_direct_map(VirtAddr base) {
  Section section(*this);
  // The largest page that is not absurdly large: 1 GiB (level 2), or 4 MiB in Sv32.
  const unsigned level = std::min(2u, levels_of(cfg_.mode) - 1);
  const uint64_t big = page_size(cfg_.mode, level);
  const uint64_t len = (mem_.size_bytes() + big - 1) / big * big;
  Region r{"direct-map", base, len, Perms{true, true, false, false}, true};
  // Every process, present and future, gets it.
  kernel_regions_.push_back(r);
  for (auto& p : procs_) {
    if (!p->alive) continue;
    if (!p->as->add_region(r)) return false;
    for (uint64_t off = 0; off < len; off += big) {
      const uint64_t flags = r.perms.pte_flags() | pte::kA | pte::kD | pte::kG;
      if (!p->as->table().map(VirtAddr{base.value() + off}, Ppn{off >> kPageShift}, flags, level))
        return false;
    }
  }
  mmu_.sfence(std::nullopt, std::nullopt);
  return true;
}

std::optional<VirtAddr> GuestRuntime::mmap(uint64_t length, Perms perms,
                                           std::shared_ptr<MemoryObject> shared) {
  Section section(*this);
  if (length == 0) return std::nullopt;
  length = (length + kPageSize - 1) / kPageSize * kPageSize;
  // Below the user half's top, above the heap: a simple bottom-up search.
  const uint64_t top = is_sv32(cfg_.mode) ? 0xC000'0000 : uint64_t{1} << (va_bits_of(cfg_.mode) - 1);
  auto at = space().find_gap(length, VirtAddr{top / 4}, VirtAddr{top});
  if (!at) return std::nullopt;
  Region r{"mmap", *at, length, perms};
  perms.user = true;
  r.perms.user = true;
  const bool ok = shared ? add_shared_region(r, std::move(shared)) : add_lazy_region(r);
  return ok ? at : std::nullopt;
}

// The pages of `r` its object has records for, with their addresses. Walks
// the object's records rather than the range: a region may span 2^47 bytes
// (trace replay maps the whole user half) and hold a few hundred pages.
std::vector<std::pair<uint64_t, VirtAddr>> GuestRuntime::pages_in(const Region& r) const {
  std::vector<std::pair<uint64_t, VirtAddr>> out;
  const uint64_t first = r.obj_offset, count = r.length / kPageSize;
  for (const auto& [index, page] : r.obj->pages) {
    if (index >= first && index - first < count)
      out.push_back({index, VirtAddr{r.start.value() + (index - first) * kPageSize}});
  }
  return out;
}

void GuestRuntime::release_range(Process& p, const Region& r) {
  if (!r.obj) return;  // fixed mappings own no pages
  const bool last_user = --r.obj->users == 0;
  const auto pages = pages_in(r);
  for (const auto& [index, va] : pages) {
    Page& page = r.obj->pages.at(index);
    // Drop this process's mapping of the page.
    auto& maps = page.maps;
    maps.erase(std::remove_if(maps.begin(), maps.end(),
                              [&](const PageMapping& m) {
                                if (m.proc != &p || m.va != va) return false;
                                if (auto slot = p.as->table().find_leaf(va)) p.as->table().update(*slot, 0);
                                return true;
                              }),
               maps.end());
    if (!r.obj->shared || last_user) free_page(page);
  }
  if (!r.obj->shared || last_user) {
    for (const auto& [index, va] : pages) r.obj->pages.erase(index);  // the pages are gone
  }
}

bool GuestRuntime::munmap(VirtAddr start, uint64_t length) {
  Section section(*this);
  if (start.value() % kPageSize || length == 0) return false;
  const VirtAddr end{start.value() + (length + kPageSize - 1) / kPageSize * kPageSize};
  for (const Region& r : space().carve(start, end)) {
    release_range(current(), r);
  }
  mmu_.sfence(std::nullopt, space().asid());
  return true;
}

bool GuestRuntime::mprotect(VirtAddr start, uint64_t length, Perms perms) {
  Section section(*this);
  if (start.value() % kPageSize || length == 0) return false;
  const VirtAddr end{start.value() + (length + kPageSize - 1) / kPageSize * kPageSize};
  perms.user = true;
  for (Region r : space().carve(start, end)) {
    r.perms = perms;
    space().add_region(r);
    // Resident pages take the new rights now; A/D are kept.
    for (const auto& [index, va] : r.obj ? pages_in(r) : std::vector<std::pair<uint64_t, VirtAddr>>{}) {
      if (auto slot = space().table().find_leaf(va)) {
        const uint64_t keep = slot->entry & ~(pte::kR | pte::kW | pte::kX | pte::kU);
        space().table().update(*slot, keep | perms.pte_flags());
      }
    }
  }
  mmu_.sfence(std::nullopt, space().asid());
  return true;
}

std::optional<VirtAddr> GuestRuntime::brk(std::optional<VirtAddr> new_end) {
  Section section(*this);
  Process& p = current();
  if (p.brk_start == VirtAddr{}) {  // first call: the heap starts empty at 256 MiB
    p.brk_start = p.brk_end = VirtAddr{0x1000'0000};
  }
  if (!new_end) return p.brk_end;
  const uint64_t want = (new_end->value() + kPageSize - 1) / kPageSize * kPageSize;
  if (want < p.brk_start.value()) return std::nullopt;
  if (want > p.brk_end.value()) {
    const uint64_t len = want - p.brk_end.value();
    if (!space().find_gap(len, p.brk_end, VirtAddr{want})) return std::nullopt;
    Region r{"heap", p.brk_end, len, Perms{true, true, false, true}};
    if (!add_lazy_region(r)) return std::nullopt;
  } else if (want < p.brk_end.value()) {
    munmap(VirtAddr{want}, p.brk_end.value() - want);
  }
  p.brk_end = VirtAddr{want};
  return p.brk_end;
}

// ============================================================================
// The access path
// ============================================================================

AccessResult GuestRuntime::fail(VirtAddr va, Access access, Priv priv, Cause cause, std::string reason) {
  InvalidAccess inv{current_->pid, va, access, priv, cause, std::move(reason)};
  if (invalid_log_.size() < kLogLimit) invalid_log_.push_back(inv);
  return AccessResult{false, 0, std::move(inv)};
}

std::optional<PhysAddr> GuestRuntime::translate(VirtAddr va, Access access, Priv priv,
                                                std::optional<InvalidAccess>& fault) {
  Process& p = current();
  if (!p.alive) {
    fault = fail(va, access, priv, page_fault_cause(access), "process has ended: " + p.end_reason).fault;
    return std::nullopt;
  }
  // One fault is resolved per try: lazy allocation or swap-in, then (Svade)
  // the D bit of a store to a page first mapped by a load. A fault that
  // persists after that means the kernel and the MMU disagree.
  //
  // The whole access is one kernel section: no other thread (kswapd) runs
  // between resolving a fault and the retry, or it could take the page away
  // again; swap I/O time and the CPU's time quantum pass when it ends.
  Section section(*this);
  for (int attempt = 0; attempt < 8; ++attempt) {
    const Translation t = mmu_.translate(va, access, priv);
    if (!t.fault) return t.pa;
    const uint64_t t0 = now();
    charge_kernel(cfg_.trap_cycles);
    if (!is_page_fault(t.cause)) {
      ++stats_.access_faults;
      ++p.faults.invalid;
      ++stats_.faults.invalid;
      fault = fail(va, access, priv, t.cause, "page table walk touched memory that does not exist").fault;
      exit_process(p, "access fault");
      return std::nullopt;
    }
    const Resolution res = handle_fault(p, va, access, priv);
    const uint64_t cost = now() - t0;
    switch (res.outcome) {
      case Outcome::kMinor:
        ++p.faults.minor, p.faults.minor_cycles += cost;
        ++stats_.faults.minor, stats_.faults.minor_cycles += cost;
        break;
      case Outcome::kMajor:
        ++p.faults.major, p.faults.major_cycles += cost;
        ++stats_.faults.major, stats_.faults.major_cycles += cost;
        break;
      case Outcome::kKilled:
        fault = fail(va, access, priv, t.cause, "killed by the OOM killer").fault;
        return std::nullopt;
      case Outcome::kInvalid:
        ++p.faults.invalid, p.faults.invalid_cycles += cost;
        ++stats_.faults.invalid, stats_.faults.invalid_cycles += cost;
        fault = fail(va, access, priv, t.cause, res.reason).fault;
        if (p.alive) exit_process(p, "segmentation fault: " + res.reason);
        return std::nullopt;
    }
    if (!p.alive) {  // the OOM killer chose this process while resolving
      fault = fail(va, access, priv, t.cause, "killed by the OOM killer").fault;
      return std::nullopt;
    }
  }
  ++p.faults.invalid;
  ++stats_.faults.invalid;
  fault =
      fail(va, access, priv, page_fault_cause(access), "fault persists after the kernel resolved it").fault;
  exit_process(p, "unresolvable fault");
  return std::nullopt;
}

void GuestRuntime::note_access(VirtAddr va) {
  if (!policy_->wants_accesses()) return;
  const Region* r = space().find(va);
  if (!r || !r->obj) return;
  auto it = r->obj->pages.find(r->page_index(va));
  if (it != r->obj->pages.end() && it->second.state == PageState::kResident)
    policy_->on_access(it->second, ref_pos_);
}

void GuestRuntime::after_access() {
  if (background_pending_ && !svc_.kswapd && !in_background_) {
    background_pending_ = false;
    background_reclaim();
  }
}

AccessResult GuestRuntime::load(VirtAddr va, unsigned size, Priv priv) {
  AccessResult r;
  if (size == 0 || size > 8 || (size & (size - 1)) || va.value() % size) {
    return fail(va, Access::kLoad, priv, Cause::kLoadAccessFault, "misaligned or bad access size");
  }
  auto pa = translate(va, Access::kLoad, priv, r.fault);
  if (!pa) return r;
  if (!mem_.read(*pa, &r.value, size)) {
    ++stats_.access_faults;
    return fail(va, Access::kLoad, priv, Cause::kLoadAccessFault, "physical address outside memory");
  }
  note_access(va);
  after_access();
  r.ok = true;
  return r;
}

AccessResult GuestRuntime::store(VirtAddr va, uint64_t value, unsigned size, Priv priv) {
  AccessResult r;
  if (size == 0 || size > 8 || (size & (size - 1)) || va.value() % size) {
    return fail(va, Access::kStore, priv, Cause::kStoreAccessFault, "misaligned or bad access size");
  }
  auto pa = translate(va, Access::kStore, priv, r.fault);
  if (!pa) return r;
  if (!mem_.write(*pa, &value, size)) {
    ++stats_.access_faults;
    return fail(va, Access::kStore, priv, Cause::kStoreAccessFault, "physical address outside memory");
  }
  note_access(va);
  after_access();
  r.ok = true;
  return r;
}

AccessResult GuestRuntime::fetch(VirtAddr va, Priv priv) {
  AccessResult r;
  if (va.value() % 4) return fail(va, Access::kFetch, priv, Cause::kFetchAccessFault, "misaligned fetch");
  auto pa = translate(va, Access::kFetch, priv, r.fault);
  if (!pa) return r;
  if (!mem_.read(*pa, &r.value, 4)) {
    ++stats_.access_faults;
    return fail(va, Access::kFetch, priv, Cause::kFetchAccessFault, "physical address outside memory");
  }
  note_access(va);
  after_access();
  r.ok = true;
  return r;
}

}  // namespace vmsim
