// walk.cpp: your Sv39 page walker (lab 1). Replace the body of translate()
// with the walk of the RISC-V privileged spec, section "Virtual Address
// Translation Process" (docs/translation.md has it on one page). Then:
//
//   make lab1          # builds this file into the grader and prints your score
//
// Work in small steps: Bare mode first, then a walk that only follows
// pointers and takes 4 KiB leaves (part A), then superpages (part B), then
// the checks, in the spec's order (parts C and D). Check single addresses by
// hand with `build/vmsim translate --explain` (the handout shows how).
#include "labs/1-page-walk/lab1.h"

namespace lab1 {

Answer translate(const Memory& mem, uint64_t satp, uint64_t va, vmsim::Access access, vmsim::Priv priv,
                 const vmsim::TranslationControl& ctl) {
  (void)mem, (void)satp, (void)va, (void)access, (void)priv, (void)ctl;
  Answer a;
  a.done = false;  // remove once you answer
  return a;
}

}  // namespace lab1
