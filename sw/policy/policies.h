// policies.h: the replacement policies behind make_policy(). One file each.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "sw/policy/page_list.h"
#include "sw/replacement_policy.h"

namespace vmsim {

class FifoPolicy final : public ReplacementPolicy {
 public:
  std::string_view name() const override { return "fifo"; }
  void insert(Page& p) override;
  void remove(Page& p) override;
  Page* victim(AccessedBits& bits) override;
  size_t size() const override { return queue_.size(); }

 private:
  PageList queue_{0};
};

class LruPolicy final : public ReplacementPolicy {
 public:
  std::string_view name() const override { return "lru"; }
  void insert(Page& p) override;
  void remove(Page& p) override;
  Page* victim(AccessedBits& bits) override;
  size_t size() const override { return recency_.size(); }
  bool wants_accesses() const override { return true; }
  void on_access(Page& p, uint64_t position) override;

 private:
  PageList recency_{0};
};

class ClockPolicy final : public ReplacementPolicy {
 public:
  std::string_view name() const override { return "clock"; }
  void insert(Page& p) override;
  void remove(Page& p) override;
  Page* victim(AccessedBits& bits) override;
  size_t size() const override { return count_; }

 private:
  std::vector<Page*> ring_;  // Page::stamp is the page's index here
  size_t hand_ = 0;
  size_t count_ = 0;
  Page* last_victim_ = nullptr;
  std::optional<size_t> hole_;      // the last victim's slot
  std::vector<size_t> free_slots_;  // other empty slots
};

class OptPolicy final : public ReplacementPolicy {
 public:
  explicit OptPolicy(std::shared_ptr<const std::vector<uint64_t>> next_use)
      : next_use_(std::move(next_use)) {}
  std::string_view name() const override { return "opt"; }
  void insert(Page& p) override;
  void remove(Page& p) override;
  Page* victim(AccessedBits& bits) override;
  size_t size() const override { return resident_.size(); }
  bool wants_accesses() const override { return true; }
  void on_access(Page& p, uint64_t position) override;

 private:
  std::shared_ptr<const std::vector<uint64_t>> next_use_;
  PageList resident_{0};  // in order of becoming resident (tie-break)
};

class ActiveInactivePolicy final : public ReplacementPolicy {
 public:
  std::string_view name() const override { return "active-inactive"; }
  void insert(Page& p) override;
  void remove(Page& p) override;
  Page* victim(AccessedBits& bits) override;
  size_t size() const override { return active_.size() + inactive_.size(); }

 private:
  void age_active(AccessedBits& bits);
  PageList active_{0}, inactive_{1};
};

}  // namespace vmsim
