// Belady's OPT: evict the page whose next reference is furthest in the
// future (or never comes). Needs the whole reference string, so it exists
// only for trace replay; it is the lower bound the other policies are
// measured against. Ties (several pages never used again) go to the page
// that became resident first.
#include "sw/policy/policies.h"

namespace vmsim {

void OptPolicy::insert(Page& p) {
  resident_.push_back(p);
  p.stamp = UINT64_MAX;  // until on_access tells us its next use
}
void OptPolicy::remove(Page& p) {
  resident_.erase(p);
}

void OptPolicy::on_access(Page& p, uint64_t position) {
  p.stamp = position < next_use_->size() ? (*next_use_)[position] : UINT64_MAX;
}

Page* OptPolicy::victim(AccessedBits&) {
  Page* best = nullptr;
  for (Page* p : resident_.pages()) {
    if (!best || p->stamp > best->stamp) best = p;
  }
  return best;
}

}  // namespace vmsim
