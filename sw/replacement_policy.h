// replacement_policy.h: which resident page to evict.
//
// The kernel tells the policy when a page becomes resident (insert) and when
// it stops being resident (remove), and asks it for a victim. What a policy
// may look at:
// - the hardware's Accessed bit, through AccessedBits::test_and_clear(): the
//   kernel reads A in every PTE mapping the page, clears it, and fences those
//   addresses so later TLB hits cannot hide a reference (active/inactive, CLOCK);
// - every access, through on_access(): only a simulator can see these
//   (exact LRU, and OPT with the future reference string of a trace).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sw/page.h"

namespace vmsim {

class AccessedBits {
 public:
  virtual ~AccessedBits() = default;
  // True when any mapping of the page had A set; clears A and fences them.
  virtual bool test_and_clear(Page& page) = 0;
};

class ReplacementPolicy {
 public:
  virtual ~ReplacementPolicy() = default;
  virtual std::string_view name() const = 0;
  virtual void insert(Page& page) = 0;
  virtual void remove(Page& page) = 0;
  // A victim among the inserted pages, or nullptr when there is none. The
  // victim stays inserted: the kernel removes it when it starts the eviction.
  virtual Page* victim(AccessedBits& bits) = 0;
  virtual size_t size() const = 0;
  virtual bool contains(const Page& page) const { return page.lru_list >= 0; }

  // Only policies that return true here are given every access.
  virtual bool wants_accesses() const { return false; }
  // `position` is the index of the access in the reference string (trace replay).
  virtual void on_access(Page& /*page*/, uint64_t /*position*/) {}
};

// Names: "active-inactive" (default), "fifo", "clock", "lru", "opt".
// OPT needs `next_use`: for each position of the reference string, the
// position of the next reference to the same page (UINT64_MAX: never).
std::unique_ptr<ReplacementPolicy> make_policy(std::string_view name,
                                               std::shared_ptr<const std::vector<uint64_t>> next_use = {});
std::vector<std::string> policy_names();

}  // namespace vmsim
