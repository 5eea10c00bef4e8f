// random_page_tables.h: random page-table images and request streams for
// differential testing, in the style of riscv-dv: mostly valid mappings of
// every page size, with each kind of broken PTE injected at a set rate.
//
// The generator writes tables straight into physical memory (it is the
// "software" here) and drives an MmuPort with random translations, satp/ASID
// switches, SUM/MXR/Svadu changes, PTE edits and all four sfence forms.
// Everything is reproducible from the seed.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "sw/mmu_features.h"
#include "sw/mmu_port.h"
#include "sw/paging.h"
#include "sw/phys_memory.h"

namespace vmsim {

struct RandomTableConfig {
  PagingMode mode = PagingMode::kSv39;
  unsigned address_spaces = 3;                     // ASIDs 1..N, each with its own root
  unsigned leaves_per_space = 96;                  // mapped leaves (of random size) per space
  unsigned fault_percent = 25;                     // leaves made faulty in one of the injected ways
  uint64_t table_region_base = uint64_t{1} << 20;  // where table frames are carved from
  // What the device implements: valid mappings use only these extensions
  // (N and PBMT on other harts are injected defects), Svadu is asked for
  // only where it exists. Default: everything (set xlen to the mode's).
  MmuFeatures features = MmuFeatures::all(64);
};

class RandomPageTables {
 public:
  RandomPageTables(PhysMemory& mem, const RandomTableConfig& cfg, uint64_t seed);

  // A random request stream of `n` translations through `mmu`, with context
  // changes mixed in. Returns the number of translations made. window > 1:
  // translations come in batches of that many (MmuPort::translate_batch),
  // so a device with several in flight overlaps and merges them.
  uint64_t drive(MmuPort& mmu, uint64_t n, unsigned window = 1);

 private:
  struct Leaf {
    unsigned space;
    uint64_t va;
    unsigned level;
    PhysAddr pte_addr;
    bool editable;  // false: the leaf sits below a table outside memory
  };

  void build_space(unsigned s);
  uint64_t random_leaf_pte(unsigned level, bool& napot);
  uint64_t corrupt(uint64_t pte, unsigned level);
  uint64_t pointer_defect();
  bool rv64() const { return !is_sv32(cfg_.mode); }
  uint64_t pte(PhysAddr a);              // PTE-sized read
  void set_pte(PhysAddr a, uint64_t e);  // PTE-sized write
  Ppn new_table();
  uint64_t random_va(unsigned level);
  uint64_t pick_request_va();
  size_t translate_batch(MmuPort& mmu, size_t k);

  PhysMemory& mem_;
  RandomTableConfig cfg_;
  std::mt19937_64 rng_;
  uint64_t next_table_ppn_;
  std::vector<Ppn> roots_;
  Ppn bad_root_;
  std::vector<Leaf> leaves_;
  std::vector<size_t> recent_;
  unsigned space_ = 0;  // the address space satp currently selects  // indices into leaves_: the request
                        // stream's working set
};

}  // namespace vmsim
