// Active/inactive lists, as Linux ages anonymous pages.
//
// New pages enter the inactive list. Reclaim looks at the inactive tail: a
// page referenced since it was last looked at (A set) is promoted to the
// active list, one that was not is the victim. When the inactive list falls
// below half the active one, the active tail is aged: referenced pages rotate
// to the active head, unreferenced ones are demoted to the inactive head.
// Every look clears A (and fences the page), so "referenced" always means
// "since the last look".
#include "sw/policy/page_records.h"
#include "sw/policy/replacement_policy.h"

namespace vmsim {
namespace {

class ActiveInactivePolicy final : public ReplacementPolicy {
 public:
  explicit ActiveInactivePolicy(const PolicyArgs&) {}
  std::string_view name() const override { return "active-inactive"; }
  void insert(Page& p) override { inactive_.push_front(p, records_.add(p)); }
  void remove(Page& p) override {
    if (!records_.holds(p)) return;
    ListPosition& pos = records_.of(p);
    (active_.holds(pos) ? active_ : inactive_).erase(pos);
    records_.remove(p);
  }
  Page* victim(AccessedBits& bits) override;
  size_t size() const override { return records_.size(); }
  bool contains(const Page& p) const override { return records_.holds(p); }

 private:
  void age_active(AccessedBits& bits);
  // Moves a page from the list it is on to the head of `to`.
  void move_to_head(Page& p, PageList& from, PageList& to) {
    ListPosition& pos = records_.of(p);
    from.erase(pos);
    to.push_front(p, pos);
  }

  PageRecords<ListPosition> records_;
  PageList active_{0}, inactive_{1};
};

void ActiveInactivePolicy::age_active(AccessedBits& bits) {
  Page* p = active_.back();
  if (!p) return;
  move_to_head(*p, active_, bits.test_and_clear(*p) ? active_ : inactive_);
}

Page* ActiveInactivePolicy::victim(AccessedBits& bits) {
  const size_t limit = 2 * size() + 2;
  for (size_t steps = 0; steps < limit; ++steps) {
    if (inactive_.empty() || inactive_.size() < active_.size() / 2) {
      age_active(bits);
      continue;
    }
    Page* p = inactive_.back();
    if (!bits.test_and_clear(*p)) return p;
    move_to_head(*p, inactive_, active_);
  }
  return inactive_.back() ? inactive_.back() : active_.back();
}

}  // namespace

VMSIM_REGISTER_POLICY(ActiveInactivePolicy, "active-inactive",
                      "Linux's two lists, aged by the hardware A bit");

}  // namespace vmsim
