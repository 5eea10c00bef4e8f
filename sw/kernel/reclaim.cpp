#include "sw/kernel/reclaim.h"

namespace vmsim {

bool Reclaimer::reclaim_one(bool direct) {
  Page* victim = policy_.victim(bits_, swapper_.space().free_count() > 0);
  if (!victim) return false;
  if (!swapper_.swap_out(*victim)) {
    // Swap is full (or failed) for that dirty page: a clean page can still go.
    victim = find_clean_victim();
    if (!victim || !swapper_.swap_out(*victim)) return false;
  }
  ++(direct ? stats_.reclaim_direct : stats_.reclaim_background);
  return true;
}

Page* Reclaimer::find_clean_victim() {
  for (Page* p : frames_.owners()) {
    if (p && policy_.contains(*p) && swapper_.is_clean(*p)) return p;
  }
  return nullptr;
}

void Reclaimer::background() {
  if (in_background_) return;
  in_background_ = true;
  ++stats_.kswapd_wakeups;
  while (frames_.below_high()) {
    KernelTime::Section section(time_);  // one page at a time: the CPU may run between pages
    if (!reclaim_one(false)) break;
  }
  in_background_ = false;
}

void Reclaimer::wake_kswapd() {
  if (in_background_) return;
  if (kswapd_) {
    kswapd_->wake();
  } else {
    pending_ = true;
  }
}

void Reclaimer::run_pending() {
  if (pending_ && !kswapd_ && !in_background_) {
    pending_ = false;
    background();
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
