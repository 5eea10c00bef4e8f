// walk_explanation.h: a page walk told step by step, for people learning it
// (`vmsim translate --explain`, lab 1).
//
// From the reference walk's record (spec_walk.h: the PTEs it read and why it
// stopped), it says for the address its VPN fields and offset, and for each
// level the PTE's address, its value, its fields one by one, and what the
// walker concluded there: a pointer to the next table, or a leaf and each
// check on it in the spec's order (the same order SpecWalk makes them in),
// each passed or the one that faulted, and the physical address made.
#pragma once

#include <string>
#include <vector>

#include "testbench/check/spec_walk.h"

namespace vmsim {

// One line each, without a trailing newline; indented by two spaces.
std::vector<std::string> explain_walk(const RefResult& r, uint64_t satp, unsigned xlen, VirtAddr va,
                                      Access access, Priv priv, const TranslationControl& ctl);

// A PTE's fields, highest first: "N0 PBMT0 PPN 0x80001 RSW0 D0 A0 G0 U0 X0 W0 R0 V1" (Sv32: no N, PBMT).
std::string pte_fields(uint64_t pte, bool sv32);

}  // namespace vmsim
