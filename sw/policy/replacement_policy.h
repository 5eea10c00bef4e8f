// replacement_policy.h: which resident page to evict, and how to add a policy.
//
// The kernel tells the policy when a page becomes resident (insert) and when
// it stops being resident (remove), and asks it for a victim. What a policy
// may look at:
// - the hardware's Accessed bit, through the AccessedBits object it is given:
//   test_and_clear() reads A in every PTE mapping the page, clears it, and
//   fences those addresses, so later TLB hits cannot hide a reference
//   (active/inactive, CLOCK);
// - every access, through on_access(): only a simulator can see these
//   (exact LRU, and OPT with the future reference string of a trace).
//
// A policy keeps its own state (see page_records.h): a Page carries only the
// opaque handle the policy gave it.
//
// Adding a policy: write one file in sw/policy/ (CMake picks it up) with the
// class and one registration line at the bottom:
//
//   VMSIM_REGISTER_POLICY(MruPolicy, "mru", "evicts the most recently used page");
//
// The name is then accepted by --policy everywhere. Code outside vmsim (a
// lab's policy, say) registers the same way, by linking its object file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sw/page.h"

namespace vmsim {

// The hardware Accessed bits of a page's mappings.
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
  // Removing a page the policy does not hold does nothing.
  virtual void remove(Page& page) = 0;
  // A victim among the inserted pages, or nullptr when there is none. The
  // victim stays inserted: the kernel removes it when it starts the eviction.
  virtual Page* victim(AccessedBits& bits) = 0;
  virtual size_t size() const = 0;
  virtual bool contains(const Page& page) const = 0;

  // Aging on a timer, as a kernel ages pages in the background: a policy that
  // returns N > 0 here has age() called after every N completed guest
  // accesses (the timer's period), to look at A bits between faults too.
  // The timer counts only once user pages fill half the frames they may
  // take: with memory to spare nothing ages (Reclaimer::note_access).
  virtual uint64_t aging_period() const { return 0; }
  virtual void age(AccessedBits& /*bits*/) {}

  // Only policies that return true here are given every access.
  virtual bool wants_accesses() const { return false; }
  // `position` is the index of the access in the reference string (trace replay).
  virtual void on_access(Page& /*page*/, uint64_t /*position*/) {}
};

// The future reference string: for each position of the reference string,
// the position of the next reference to the same page (UINT64_MAX: never).
using NextUse = std::shared_ptr<const std::vector<uint64_t>>;

// What a policy may be given when it is made.
struct PolicyArgs {
  // Provides the future reference string (nullptr when there is none: only
  // trace replay has one). A policy that needs it calls it once; the others
  // never do, so it is computed only when needed.
  std::function<NextUse()> next_use;
};

using PolicyFactory = std::unique_ptr<ReplacementPolicy> (*)(const PolicyArgs&);

// Adds a policy to the registry; returns true (for static registration).
bool register_policy(std::string_view name, std::string_view summary, PolicyFactory make);

// Throws std::invalid_argument for an unknown name, or when the policy needs
// what `args` lacks (OPT without the future reference string).
std::unique_ptr<ReplacementPolicy> make_policy(std::string_view name, const PolicyArgs& args = {});
std::vector<std::string> policy_names();                 // the default first, then by name
std::string_view policy_summary(std::string_view name);  // one line for --help

inline constexpr std::string_view kDefaultPolicy = "dueling";

}  // namespace vmsim

// One line per policy, at namespace scope in the policy's own file.
#define VMSIM_REGISTER_POLICY(Class, name, summary)                                                       \
  [[maybe_unused]] static const bool vmsim_registered_##Class = ::vmsim::register_policy(                 \
      name, summary, [](const ::vmsim::PolicyArgs& args) -> std::unique_ptr<::vmsim::ReplacementPolicy> { \
        return std::make_unique<Class>(args);                                                             \
      })
