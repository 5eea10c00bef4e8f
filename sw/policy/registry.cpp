// registry.cpp: the policies by name. Each policy file registers itself
// (VMSIM_REGISTER_POLICY) before main runs; the CMake build links every
// file in sw/policy/ whole, so none is dropped for being unreferenced.
#include <map>
#include <stdexcept>

#include "sw/policy/replacement_policy.h"

namespace vmsim {

namespace {
struct Entry {
  std::string summary;
  PolicyFactory make;
};
// A function-local static: registrations run during static initialisation,
// in no particular order, and must find the map already built.
std::map<std::string, Entry, std::less<>>& registry() {
  static std::map<std::string, Entry, std::less<>> r;
  return r;
}
}  // namespace

bool register_policy(std::string_view name, std::string_view summary, PolicyFactory make) {
  registry()[std::string(name)] = Entry{std::string(summary), make};
  return true;
}

std::vector<std::string> policy_names() {
  std::vector<std::string> names;
  if (registry().count(kDefaultPolicy)) names.emplace_back(kDefaultPolicy);
  for (const auto& [name, entry] : registry()) {
    if (name != kDefaultPolicy) names.push_back(name);
  }
  return names;
}

std::string_view policy_summary(std::string_view name) {
  auto it = registry().find(name);
  return it == registry().end() ? std::string_view{} : std::string_view(it->second.summary);
}

std::unique_ptr<ReplacementPolicy> make_policy(std::string_view name, const PolicyArgs& args) {
  auto it = registry().find(name);
  if (it == registry().end())
    throw std::invalid_argument("unknown replacement policy '" + std::string(name) + "'");
  return it->second.make(args);
}

}  // namespace vmsim
