// reference_mmu.h: the golden model the RTL is checked against.
//
// Written from the RISC-V privileged spec (see docs/translation.md and
// ../shared/RISCV-VM.md), not from the RTL. It models:
// - the walk, in Spike's check order, for Bare, Sv39, Sv48 and Sv57;
// - the TLB's observable behaviour: which requests hit. The contract it
//   follows is the one mmu_top documents: a fully associative TLB of N
//   entries, refilled into the first invalid entry or else the tree-PLRU
//   victim; a hit is used only when its cached rights allow the access (and D
//   is set for a store), otherwise the walk is redone and overwrites that
//   entry; faults are never cached; the lowest matching index wins.
// It reads memory but never writes it: a Svadu A/D update it expects is
// returned in RefResult so the checker can verify the hardware made it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sw/mmu_port.h"
#include "sw/paging.h"
#include "sw/phys_memory.h"

namespace vmsim {

struct WalkStep {
  unsigned level;
  PhysAddr pte_addr;
  uint64_t pte;
};

struct RefResult {
  Translation t;
  bool walked = false;
  int leaf_level = -1;                   // level of the leaf a successful walk found
  std::vector<WalkStep> steps;           // PTEs read by the walk
  std::optional<WalkStep> ad_update;     // Svadu write the hardware must make
};

class ReferenceMmu {
 public:
  ReferenceMmu(PhysMemory& mem, unsigned tlb_entries);

  RefResult translate(VirtAddr va, Access access, Priv priv);
  void write_satp(uint64_t satp) { satp_ = satp; }
  void set_control(const TranslationControl& ctl) { ctl_ = ctl; }
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid);

 private:
  struct Entry {
    bool valid = false;
    uint64_t vpn = 0;
    unsigned level = 0;
    bool napot = false;
    uint16_t asid = 0;
    bool global = false;
    uint64_t ppn = 0;
    uint64_t flags = 0;  // leaf PTE bits R/W/X/U/D
  };

  RefResult walk(VirtAddr va, Access access, Priv priv) const;
  bool rights_allow(uint64_t flags, Access access, Priv priv) const;
  static uint64_t offset_mask(unsigned level, bool napot);
  bool matches(const Entry& e, uint64_t vpn) const;
  std::optional<unsigned> lookup(uint64_t vpn, uint16_t asid) const;
  unsigned refill_slot() const;
  void touch(unsigned idx);

  PhysMemory& mem_;
  uint64_t satp_ = 0;
  TranslationControl ctl_;
  std::vector<Entry> tlb_;
  std::vector<bool> plru_;  // tree bits, root at 0, children 2n+1 / 2n+2
  unsigned plru_levels_;
};

}  // namespace vmsim
