// FIFO: evict the page that became resident first. Ignores references.
#include "sw/policy/page_records.h"
#include "sw/policy/replacement_policy.h"

namespace vmsim {
namespace {

class FifoPolicy final : public ReplacementPolicy {
 public:
  explicit FifoPolicy(const PolicyArgs&) {}
  std::string_view name() const override { return "fifo"; }
  void insert(Page& p) override { queue_.push_back(p, records_.add(p)); }
  void remove(Page& p) override {
    if (!records_.holds(p)) return;
    queue_.erase(records_.of(p));
    records_.remove(p);
  }
  Page* victim(AccessedBits&) override { return queue_.front(); }
  size_t size() const override { return records_.size(); }
  bool contains(const Page& p) const override { return records_.holds(p); }

 private:
  PageRecords<ListPosition> records_;
  PageList queue_{0};
};

}  // namespace

VMSIM_REGISTER_POLICY(FifoPolicy, "fifo", "first in, first out: evicts the page resident longest");

}  // namespace vmsim
