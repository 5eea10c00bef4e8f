// Catch2's main for the test programs that do not elaborate SystemC. The
// tests load vmsim's MMU with its assertions on.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "model/rtl_mmu_core.h"

int main(int argc, char* argv[]) {
  vmsim::set_default_device_flavour(vmsim::DeviceFlavour::kAssertions);
  return Catch::Session().run(argc, argv);
}
