// Catch2's main for test_sw: the pure C++ parts (runtime structures,
// allocator, reference model, formats), with no simulator and no device.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
