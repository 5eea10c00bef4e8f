// lab1.h: what your page walker gets and what it answers (lab 1, the page
// walk; the handout is docs/labs/1-page-walk.md).
//
// You write lab1::translate in walk.cpp. The grader calls it for thousands of
// random translations over random Sv39 page tables and compares each answer
// with vmsim's reference walker. Use the PTE bit names of sw/paging.h
// (pte::kV, pte::kR, ..., pte::ppn(e)) and the types of sw/types.h.
#pragma once

#include <cstdint>

#include "sw/mmu_port.h"
#include "sw/paging.h"
#include "sw/types.h"

namespace lab1 {

// Physical memory, as the walker sees it.
class Memory {
 public:
  virtual ~Memory() = default;
  // True when the 8 bytes at `pa` are inside physical memory.
  virtual bool contains(uint64_t pa) const = 0;
  // The 8-byte PTE at `pa` (little-endian). Only call it when contains(pa).
  virtual uint64_t read_pte(uint64_t pa) const = 0;
};

struct Answer {
  bool fault = false;
  vmsim::Cause cause = vmsim::Cause::kNone;  // when fault: a page fault or an access fault
  uint64_t pa = 0;                           // when not
  bool done = true;                          // false: not written yet (never right)
};

// Translates `va` for one access as an Sv39 MMU without a TLB must:
//   - satp (RV64: MODE in bits 63..60, ASID 59..44, PPN 43..0) selects
//     Bare (MODE 0) or Sv39 (MODE 8); any other MODE is not implemented
//     here: every access faults with a page fault;
//   - ctl.sum and ctl.mxr are sstatus.SUM and MXR; ctl.svadu is always
//     false in this lab: a leaf with A clear, or D clear on a store, faults;
//   - this hart has neither Svnapot nor Svpbmt: bits 63..54 of a PTE are
//     reserved, and a PTE with any of them set faults.
// Faults: a page fault of the access's kind (load, store, instruction), or
// an access fault of that kind when a PTE's address is outside memory.
Answer translate(const Memory& mem, uint64_t satp, uint64_t va, vmsim::Access access, vmsim::Priv priv,
                 const vmsim::TranslationControl& ctl);

}  // namespace lab1
