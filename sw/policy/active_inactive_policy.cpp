// Active/inactive lists, as Linux ages anonymous pages.
//
// New pages enter the inactive list. Reclaim looks at the inactive tail: a
// page referenced since it was last looked at (A set) is promoted to the
// active list, one that was not is the victim. When the inactive list falls
// below half the active one, the active tail is aged: referenced pages rotate
// to the active head, unreferenced ones are demoted to the inactive head.
// Every look clears A (and fences the page), so "referenced" always means
// "since the last look".
#include "sw/policy/policies.h"

namespace vmsim {

void ActiveInactivePolicy::insert(Page& p) {
  inactive_.push_front(p);
}

void ActiveInactivePolicy::remove(Page& p) {
  if (active_.holds(p))
    active_.erase(p);
  else if (inactive_.holds(p))
    inactive_.erase(p);
}

void ActiveInactivePolicy::age_active(AccessedBits& bits) {
  Page* p = active_.back();
  if (!p) return;
  active_.erase(*p);
  if (bits.test_and_clear(*p))
    active_.push_front(*p);
  else
    inactive_.push_front(*p);
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
    inactive_.erase(*p);
    active_.push_front(*p);
  }
  return inactive_.back() ? inactive_.back() : active_.back();
}

}  // namespace vmsim
