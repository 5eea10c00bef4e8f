// A path in the system's temp directory for a test's scratch file, unique to
// the process: ctest runs test cases in parallel processes (and two builds'
// suites may run at once), so a fixed name lets one read another's file.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace vmsim::test {

inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("vmsim_test_" + std::to_string(getpid()) + "_" + name))
      .string();
}

}  // namespace vmsim::test
