// Exact LRU: evict the page whose last access is oldest. Needs to see every
// access, which only a simulator can (hardware gives only the A bit).
#include "sw/policy/policies.h"

namespace vmsim {

void LruPolicy::insert(Page& p) {
  recency_.push_back(p);
}  // back = most recent
void LruPolicy::remove(Page& p) {
  recency_.erase(p);
}
Page* LruPolicy::victim(AccessedBits&) {
  return recency_.front();
}
void LruPolicy::on_access(Page& p, uint64_t) {
  if (!recency_.holds(p)) return;
  recency_.erase(p);
  recency_.push_back(p);
}

}  // namespace vmsim
