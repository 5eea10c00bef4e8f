// FIFO: evict the page that became resident first. Ignores references.
#include "sw/policy/policies.h"

namespace vmsim {

void FifoPolicy::insert(Page& p) {
  queue_.push_back(p);
}
void FifoPolicy::remove(Page& p) {
  queue_.erase(p);
}
Page* FifoPolicy::victim(AccessedBits&) {
  return queue_.front();
}

}  // namespace vmsim
