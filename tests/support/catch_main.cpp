// Catch2's main for the test programs that do not elaborate SystemC.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
