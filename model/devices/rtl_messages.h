// rtl_messages.h: where the Verilated model's messages go.
//
// Force-included (-include) into every file of an RTL library, Verilator's
// runtime included, so that everything the model prints ($display, and the
// message of a failed assertion) goes through vmsim_vl_printf instead of
// printf: to stderr, since stdout carries reports and JSON, and into a buffer
// from which the driver takes the text of a failed assertion to report it.
#pragma once

#include <string>

#define VL_PRINTF vmsim_vl_printf
void vmsim_vl_printf(const char* format, ...) __attribute__((format(printf, 1, 2)));

namespace vmsim {
// What the model printed since the last call (the last 64 KiB at most).
std::string take_rtl_messages();
}  // namespace vmsim
