// Exact LRU: evict the page whose last access is oldest. Needs to see every
// access, which only a simulator can (hardware gives only the A bit).
#include "sw/policy/page_records.h"
#include "sw/policy/replacement_policy.h"

namespace vmsim {
namespace {

class LruPolicy final : public ReplacementPolicy {
 public:
  explicit LruPolicy(const PolicyArgs&) {}
  std::string_view name() const override { return "lru"; }
  void insert(Page& p) override { recency_.push_back(p, records_.add(p)); }  // back = most recent
  void remove(Page& p) override {
    if (!records_.holds(p)) return;
    recency_.erase(records_.of(p));
    records_.remove(p);
  }
  Page* victim(AccessedBits&) override { return recency_.front(); }
  size_t size() const override { return records_.size(); }
  bool contains(const Page& p) const override { return records_.holds(p); }
  bool wants_accesses() const override { return true; }
  void on_access(Page& p, uint64_t) override {
    if (!records_.holds(p)) return;
    ListPosition& pos = records_.of(p);
    recency_.erase(pos);
    recency_.push_back(p, pos);
  }

 private:
  PageRecords<ListPosition> records_;
  PageList recency_{0};
};

}  // namespace

VMSIM_REGISTER_POLICY(LruPolicy, "lru", "exact least recently used (sees every access: a simulator's bound)");

}  // namespace vmsim
