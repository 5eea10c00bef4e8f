// registry.cpp: the built-in workloads by name. Each registers itself in its
// own file; the testbench library is linked whole, so none is dropped.
#include <map>

#include "testbench/workloads/workload.h"

namespace vmsim {

namespace {
std::map<std::string, WorkloadInfo>& registry() {
  static std::map<std::string, WorkloadInfo> r;
  return r;
}
}  // namespace

bool register_workload(const std::string& name, WorkloadInfo info) {
  registry()[name] = std::move(info);
  return true;
}

const WorkloadInfo* find_workload(const std::string& name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

std::vector<std::string> workload_names() {
  std::vector<std::string> names;
  if (registry().count("basic")) names.push_back("basic");
  for (const auto& [name, info] : registry()) {
    if (name != "basic") names.push_back(name);
  }
  return names;
}

}  // namespace vmsim
