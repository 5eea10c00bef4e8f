// CLOCK (second chance): resident pages in a ring, in the order they were
// loaded; the hand clears A bits as it passes and stops at a page whose A is
// clear. A new page takes its victim's place in the ring, and the hand moves
// past it: the textbook algorithm, with the hardware A bit as the use bit.
#include "sw/policy/policies.h"

namespace vmsim {

void ClockPolicy::insert(Page& p) {
  p.lru_list = 0;
  if (hole_) {  // the victim's slot: the new page takes its place, the hand moves past
    ring_[*hole_] = &p;
    p.stamp = *hole_;
    hand_ = (*hole_ + 1) % ring_.size();
    hole_.reset();
  } else if (!free_slots_.empty()) {  // a slot left by a page freed for other reasons
    p.stamp = free_slots_.back();
    free_slots_.pop_back();
    ring_[p.stamp] = &p;
  } else {
    p.stamp = ring_.size();
    ring_.push_back(&p);
  }
  ++count_;
}

void ClockPolicy::remove(Page& p) {
  if (p.lru_list < 0) return;
  ring_[p.stamp] = nullptr;
  p.lru_list = -1;
  --count_;
  if (last_victim_ == &p) {
    if (hole_) free_slots_.push_back(*hole_);
    hole_ = p.stamp;  // the next page loaded goes here
  } else {
    free_slots_.push_back(p.stamp);
  }
  last_victim_ = nullptr;
}

Page* ClockPolicy::victim(AccessedBits& bits) {
  if (count_ == 0) return nullptr;
  // Two full turns always find a page: the first clears every A bit.
  for (size_t steps = 0; steps < 2 * ring_.size() + 1; ++steps) {
    Page* p = ring_[hand_];
    if (p && !bits.test_and_clear(*p)) {
      last_victim_ = p;
      return p;
    }
    hand_ = (hand_ + 1) % ring_.size();
  }
  return nullptr;
}

}  // namespace vmsim
