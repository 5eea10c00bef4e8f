// Belady's OPT: evict the page whose next reference is furthest in the
// future (or never comes). Needs the whole reference string, so it exists
// only for trace replay; it is the lower bound the other policies are
// measured against. Ties (several pages never used again) go to the page
// that became resident first.
#include <stdexcept>

#include "sw/policy/page_records.h"
#include "sw/policy/replacement_policy.h"

namespace vmsim {
namespace {

class OptPolicy final : public ReplacementPolicy {
 public:
  explicit OptPolicy(const PolicyArgs& args) : next_use_(args.next_use ? args.next_use() : nullptr) {
    if (!next_use_) {
      throw std::invalid_argument(
          "policy 'opt' needs the future reference string: use it with 'vmsim trace'");
    }
  }
  std::string_view name() const override { return "opt"; }
  void insert(Page& p) override {
    Record& r = records_.add(p);
    resident_.push_back(p, r.pos);
    r.next_use = UINT64_MAX;  // until on_access tells us its next use
  }
  void remove(Page& p) override {
    if (!records_.holds(p)) return;
    resident_.erase(records_.of(p).pos);
    records_.remove(p);
  }
  Page* victim(AccessedBits&) override {
    Page* best = nullptr;
    for (Page* p : resident_.pages()) {
      if (!best || records_.of(*p).next_use > records_.of(*best).next_use) best = p;
    }
    return best;
  }
  size_t size() const override { return records_.size(); }
  bool contains(const Page& p) const override { return records_.holds(p); }
  bool wants_accesses() const override { return true; }
  void on_access(Page& p, uint64_t position) override {
    if (!records_.holds(p)) return;
    records_.of(p).next_use = position < next_use_->size() ? (*next_use_)[position] : UINT64_MAX;
  }

 private:
  struct Record {
    ListPosition pos;
    uint64_t next_use = UINT64_MAX;  // position of the page's next reference
  };
  NextUse next_use_;
  PageRecords<Record> records_;
  PageList resident_{0};  // in order of becoming resident (tie-break)
};

}  // namespace

VMSIM_REGISTER_POLICY(OptPolicy, "opt",
                      "Belady's optimum: evicts the page used furthest ahead (trace replay only)");

}  // namespace vmsim
