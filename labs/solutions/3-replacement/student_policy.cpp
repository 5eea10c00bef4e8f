// The reference solution of lab 3: the aging algorithm (Tanenbaum, Modern
// Operating Systems, "Simulating LRU in software"). Each page has an 8-bit
// age; on every tick (age(), every N/2 guest accesses for N pages held: the
// same share of memory touched between ticks at every size) each age shifts right
// and takes the page's Accessed bit as its top bit. The victim is the page
// with the smallest age: the one least used in the recent ticks, LRU at the
// resolution of a tick; among equal ages, the one that came in first. A page
// comes in with its top bit set (it was just used). victim() does not tick:
// ticking on every fault would age pages by how often others fault, and in
// a burst of faults every page would look old at once.
#include <algorithm>
#include <vector>

#include "sw/policy/page_records.h"
#include "sw/policy/replacement_policy.h"

namespace vmsim {
namespace {

class AgingPolicy final : public ReplacementPolicy {
 public:
  explicit AgingPolicy(const PolicyArgs&) {}
  std::string_view name() const override { return "student"; }
  void insert(Page& page) override {
    Record& r = records_.add(page);
    r.age = 0x80;
    r.since = next_seq_++;
    r.index = pages_.size();
    pages_.push_back(&page);
  }
  void remove(Page& page) override {
    if (!records_.holds(page)) return;
    const size_t i = records_.of(page).index;
    pages_[i] = pages_.back();  // the last page takes the hole
    records_.of(*pages_[i]).index = i;
    pages_.pop_back();
    records_.remove(page);
  }
  Page* victim(AccessedBits& bits) override {
    (void)bits;
    if (pages_.empty()) return nullptr;
    Page* best = pages_.front();
    for (Page* p : pages_) {
      const Record &r = records_.of(*p), &b = records_.of(*best);
      if (r.age < b.age || (r.age == b.age && r.since < b.since)) best = p;
    }
    return best;
  }
  size_t size() const override { return pages_.size(); }
  bool contains(const Page& page) const override { return records_.holds(page); }
  uint64_t aging_period() const override { return std::max<uint64_t>(8, pages_.size() / 2); }
  void age(AccessedBits& bits) override {
    for (Page* p : pages_) {
      Record& r = records_.of(*p);
      r.age = uint8_t((r.age >> 1) | (bits.test_and_clear(*p) ? 0x80 : 0));
    }
  }

 private:
  struct Record {
    uint8_t age = 0;
    uint64_t since = 0;  // when it came in
    size_t index = 0;    // in pages_
  };
  PageRecords<Record> records_;
  std::vector<Page*> pages_;
  uint64_t next_seq_ = 0;
};

}  // namespace

VMSIM_REGISTER_POLICY(AgingPolicy, "student", "lab 3: the reference solution (aging)");

}  // namespace vmsim
