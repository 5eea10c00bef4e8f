// option_checks.h: validators for command-line numbers that CLI11's own
// conversions let through.
//
// CLI11 converts "-1" to an unsigned option by wrapping it (to 2^64 - 1),
// clamps a number too large for the type, and lets "nan" through a
// CLI::Range (every comparison with NaN is false). These validators look at
// the text first, so each of those is refused with exit 2, naming the option.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace vmsim {

// A whole number from 0 to 2^64 - 1, in decimal or 0x-prefixed hexadecimal.
CLI::Validator whole_number();
// One of the listed words (CLI::IsMember's message names only the value).
CLI::Validator one_of(std::vector<std::string> words);
// A finite number from lo to hi (not NaN, not infinite).
CLI::Validator finite_range(double lo, double hi);

}  // namespace vmsim
