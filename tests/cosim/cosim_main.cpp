// Catch2 runner for tests that elaborate SystemC. SystemC allows one
// elaboration per process, so ctest runs each TEST_CASE in its own process
// (catch_discover_tests); never run two of these cases in one invocation.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

#include "model/rtl_mmu_core.h"

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  vmsim::set_default_device_flavour(vmsim::DeviceFlavour::kAssertions);
  return Catch::Session().run(argc, argv);
}
