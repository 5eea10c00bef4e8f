#include "sw/kernel/access_path.h"

namespace vmsim {

AccessResult AccessPath::fail(VirtAddr va, Access access, Priv priv, Cause cause, std::string reason) {
  InvalidAccess inv{procs_.current().pid, va, access, priv, cause, std::move(reason)};
  if (invalid_log_.size() < kLogLimit) invalid_log_.push_back(inv);
  return AccessResult{false, 0, std::move(inv)};
}

std::optional<PhysAddr> AccessPath::trap_and_retry(VirtAddr va, Access access, Priv priv,
                                                   std::optional<InvalidAccess>& fault) {
  Process& p = procs_.current();
  if (!p.alive) {
    fault = fail(va, access, priv, page_fault_cause(access), "process has ended: " + p.end_reason).fault;
    return std::nullopt;
  }
  // One fault is resolved per try: lazy allocation or swap-in, then (Svade)
  // the D bit of a store to a page first mapped by a load. A fault that
  // persists after that means the kernel and the MMU disagree.
  //
  // The caller, access(), holds a kernel section over this and the data
  // move: no other thread (kswapd) runs between resolving a fault and the
  // retry, or it could take the page away again; swap I/O time and the CPU's
  // time quantum pass when it ends.
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::optional<Translation> pre = attempt == 0 ? take_prefetched(va, access, priv) : std::nullopt;
    const Translation t = pre ? *pre : mmu_.translate(va, access, priv);
    if (!t.fault) return t.pa;
    const uint64_t t0 = time_.now();
    time_.charge(cfg_.trap_cycles);
    if (!is_page_fault(t.cause)) {
      ++stats_.access_faults;
      ++p.faults.invalid;
      ++stats_.faults.invalid;
      fault = fail(va, access, priv, t.cause, "page table walk touched memory that does not exist").fault;
      procs_.exit(p, "access fault");
      return std::nullopt;
    }
    const FaultHandler::Resolution res = faults_.handle(p, va, access, priv);
    if (!account(p, res, time_.now() - t0, va, access, priv, t.cause, fault)) return std::nullopt;
  }
  ++p.faults.invalid;
  ++stats_.faults.invalid;
  fault =
      fail(va, access, priv, page_fault_cause(access), "fault persists after the kernel resolved it").fault;
  procs_.exit(p, "unresolvable fault");
  return std::nullopt;
}

bool AccessPath::account(Process& p, FaultHandler::Resolution res, uint64_t cost, VirtAddr va, Access access,
                         Priv priv, Cause cause, std::optional<InvalidAccess>& fault) {
  using Outcome = FaultHandler::Outcome;
  switch (res.outcome) {
    case Outcome::kMinor:
      ++p.faults.minor, p.faults.minor_cycles += cost;
      ++stats_.faults.minor, stats_.faults.minor_cycles += cost;
      break;
    case Outcome::kCow:
      ++p.faults.cow, p.faults.cow_cycles += cost;
      ++stats_.faults.cow, stats_.faults.cow_cycles += cost;
      break;
    case Outcome::kMajor:
      ++p.faults.major, p.faults.major_cycles += cost;
      ++stats_.faults.major, stats_.faults.major_cycles += cost;
      break;
    case Outcome::kKilled:
      fault = fail(va, access, priv, cause, "killed by the OOM killer").fault;
      return false;
    case Outcome::kInvalid:
      ++p.faults.invalid, p.faults.invalid_cycles += cost;
      ++stats_.faults.invalid, stats_.faults.invalid_cycles += cost;
      fault = fail(va, access, priv, cause, res.reason).fault;
      if (p.alive) procs_.exit(p, "segmentation fault: " + res.reason);
      return false;
  }
  if (!p.alive) {  // the OOM killer chose this process while resolving
    fault = fail(va, access, priv, cause, "killed by the OOM killer").fault;
    return false;
  }
  return true;
}

void AccessPath::prefetch(const TranslationRequest* reqs, size_t n) {
  pre_reqs_.assign(reqs, reqs + n);
  pre_answers_.resize(n);
  mmu_.translate_batch(reqs, n, pre_answers_.data());
  pre_next_ = 0;
  pre_cycles_ = mmu_.cycles();
}

std::optional<Translation> AccessPath::take_prefetched(VirtAddr va, Access access, Priv priv) {
  if (pre_next_ >= pre_reqs_.size()) return std::nullopt;
  const TranslationRequest& r = pre_reqs_[pre_next_];
  if (mmu_.cycles() != pre_cycles_ || r.va != va || r.access != access || r.priv != priv) {
    pre_next_ = pre_reqs_.size();  // stale, or not the access foreseen: drop the rest
    return std::nullopt;
  }
  return pre_answers_[pre_next_++];
}

void AccessPath::note_access(VirtAddr va) {
  if (!policy_.wants_accesses()) return;
  const Region* r = procs_.current().as->find(va);
  if (!r || !r->obj) return;
  auto it = r->obj->pages.find(r->page_index(va));
  if (it != r->obj->pages.end() && it->second.state == PageState::kResident)
    policy_.on_access(it->second, ref_pos_);
}

AccessResult AccessPath::access(VirtAddr va, Access access, Priv priv, unsigned size, uint64_t* data) {
  AccessResult r;
  bool moved = false;
  {
    // The translation and the data move are one kernel section: the end of a
    // section is where the co-simulation may run kswapd, which could evict
    // the page and free its frame between the two, and the data would then
    // go to (or come from) a frame that is no longer the page's.
    KernelTime::Section section(time_);
    auto pa = trap_and_retry(va, access, priv, r.fault);
    if (!pa) return r;
    moved = access == Access::kStore ? mem_.write(*pa, data, size) : mem_.read(*pa, data, size);
  }
  if (!moved) {
    ++stats_.access_faults;
    return fail(va, access, priv, access_fault_cause(access), "physical address outside memory");
  }
  note_access(va);
  reclaim_.note_access();
  cache_.note_access();
  khugepaged_.note_access();
  reclaim_.run_pending();
  r.ok = true;
  if (access != Access::kStore) r.value = *data;
  return r;
}

AccessResult AccessPath::load(VirtAddr va, unsigned size, Priv priv) {
  if (size == 0 || size > 8 || (size & (size - 1)) || va.value() % size) {
    return fail(va, Access::kLoad, priv, Cause::kLoadAccessFault, "misaligned or bad access size");
  }
  uint64_t value = 0;
  return access(va, Access::kLoad, priv, size, &value);
}

AccessResult AccessPath::store(VirtAddr va, uint64_t value, unsigned size, Priv priv) {
  if (size == 0 || size > 8 || (size & (size - 1)) || va.value() % size) {
    return fail(va, Access::kStore, priv, Cause::kStoreAccessFault, "misaligned or bad access size");
  }
  return access(va, Access::kStore, priv, size, &value);
}

AccessResult AccessPath::fetch(VirtAddr va, Priv priv) {
  if (va.value() % 4) return fail(va, Access::kFetch, priv, Cause::kFetchAccessFault, "misaligned fetch");
  uint64_t value = 0;
  return access(va, Access::kFetch, priv, 4, &value);
}

}  // namespace vmsim
