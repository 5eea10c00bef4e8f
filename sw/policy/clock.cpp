// CLOCK (second chance): resident pages in a ring, in the order they were
// loaded; the hand clears A bits as it passes and stops at a page whose A is
// clear. A new page takes its victim's place in the ring, and the hand moves
// past it: the textbook algorithm, with the hardware A bit as the use bit.
#include <optional>

#include "sw/policy/page_records.h"
#include "sw/policy/replacement_policy.h"

namespace vmsim {
namespace {

class ClockPolicy final : public ReplacementPolicy {
 public:
  explicit ClockPolicy(const PolicyArgs&) {}
  std::string_view name() const override { return "clock"; }
  void insert(Page& p) override;
  void remove(Page& p) override;
  Page* victim(AccessedBits& bits) override;
  size_t size() const override { return records_.size(); }
  bool contains(const Page& p) const override { return records_.holds(p); }

 private:
  struct Record {
    size_t slot = 0;  // the page's place in the ring
  };
  PageRecords<Record> records_;
  std::vector<Page*> ring_;
  size_t hand_ = 0;
  Page* last_victim_ = nullptr;
  std::optional<size_t> hole_;      // the last victim's slot
  std::vector<size_t> free_slots_;  // other empty slots
};

void ClockPolicy::insert(Page& p) {
  Record& r = records_.add(p);
  if (hole_) {  // the victim's slot: the new page takes its place, the hand moves past
    r.slot = *hole_;
    hand_ = (*hole_ + 1) % ring_.size();
    hole_.reset();
  } else if (!free_slots_.empty()) {  // a slot left by a page freed for other reasons
    r.slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    r.slot = ring_.size();
    ring_.push_back(nullptr);
  }
  ring_[r.slot] = &p;
}

void ClockPolicy::remove(Page& p) {
  if (!records_.holds(p)) return;
  const size_t slot = records_.of(p).slot;
  records_.remove(p);
  ring_[slot] = nullptr;
  if (last_victim_ == &p) {
    if (hole_) free_slots_.push_back(*hole_);
    hole_ = slot;  // the next page loaded goes here
  } else {
    free_slots_.push_back(slot);
  }
  last_victim_ = nullptr;
}

Page* ClockPolicy::victim(AccessedBits& bits) {
  if (records_.size() == 0) return nullptr;
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

}  // namespace

VMSIM_REGISTER_POLICY(ClockPolicy, "clock", "second chance: a ring swept by a hand that clears A bits");

}  // namespace vmsim
