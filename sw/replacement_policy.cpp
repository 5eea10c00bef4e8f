#include "sw/replacement_policy.h"

#include <stdexcept>

#include "sw/policy/policies.h"

namespace vmsim {

std::vector<std::string> policy_names() {
  return {"active-inactive", "fifo", "clock", "lru", "opt"};
}

std::unique_ptr<ReplacementPolicy> make_policy(std::string_view name,
                                               std::shared_ptr<const std::vector<uint64_t>> next_use) {
  if (name == "active-inactive") return std::make_unique<ActiveInactivePolicy>();
  if (name == "fifo") return std::make_unique<FifoPolicy>();
  if (name == "clock") return std::make_unique<ClockPolicy>();
  if (name == "lru") return std::make_unique<LruPolicy>();
  if (name == "opt") {
    if (!next_use)
      throw std::invalid_argument(
          "policy 'opt' needs the future reference string: use it with 'vmsim trace'");
    return std::make_unique<OptPolicy>(std::move(next_use));
  }
  throw std::invalid_argument("unknown replacement policy '" + std::string(name) + "'");
}

}  // namespace vmsim
