// Catch2's main for test_rtl: the tests load vmsim's MMU with its assertions
// on. test_rtl links the harnesses, co-simulation included, so SystemC's
// library is part of the program and needs an sc_main: Catch2 runs inside
// it (no test elaborates a SystemC design; test_cosim does that).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdlib>
#include <systemc>

#include "model/rtl_mmu_core.h"

int sc_main(int argc, char* argv[]) {
  vmsim::set_default_device_flavour(vmsim::DeviceFlavour::kAssertions);
  return Catch::Session().run(argc, argv);
}

int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
