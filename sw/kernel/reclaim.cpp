#include "sw/kernel/reclaim.h"

namespace vmsim {

bool Reclaimer::reclaim_one(bool direct, unsigned node) {
  Page* victim = policy_.victim(node, bits_, swapper_.space().free_count() > 0);
  if (!victim) return false;
  if (!swapper_.swap_out(*victim)) {
    // Swap is full (or failed) for that dirty page: a clean page can still go.
    victim = find_clean_victim(node);
    if (!victim || !swapper_.swap_out(*victim)) return false;
  }
  ++(direct ? stats_.reclaim_direct : stats_.reclaim_background);
  NodeStats& ns = stats_.nodes[node];
  ++(direct ? ns.reclaimed_direct : ns.reclaimed_background);
  return true;
}

Page* Reclaimer::find_clean_victim(unsigned node) {
  const BuddyAllocator& b = frames_.phys().buddy(node);
  for (uint64_t f = b.base(); f < b.base() + b.frames(); ++f) {
    Page* p = frames_.owner(Ppn{f});
    if (p && policy_.contains(*p) && swapper_.is_clean(*p)) return p;
  }
  return nullptr;
}

void Reclaimer::background(unsigned node) {
  if (in_background_[node]) return;
  in_background_[node] = true;
  ++stats_.kswapd_wakeups;
  ++stats_.nodes[node].kswapd_wakeups;
  while (frames_.below_high(node)) {
    KernelTime::Section section(time_);  // one page at a time: the CPU may run between pages
    if (!reclaim_one(false, node)) break;
  }
  in_background_[node] = false;
}

void Reclaimer::wake_kswapd(unsigned node) {
  if (in_background_[node]) return;
  if (kswapd_) {
    kswapd_->wake(node);
  } else {
    pending_[node] = true;
  }
}

void Reclaimer::run_pending() {
  if (kswapd_) return;
  for (unsigned n = 0; n < pending_.size(); ++n) {
    if (pending_[n] && !in_background_[n]) {
      pending_[n] = false;
      background(n);
    }
  }
}

void Reclaimer::note_access() {
  const uint64_t period = policy_.aging_period();
  if (period == 0 || !frames_.half_full() || ++since_aging_ < period) return;
  since_aging_ = 0;
  KernelTime::Section section(time_);
  policy_.age(bits_);
}

}  // namespace vmsim
