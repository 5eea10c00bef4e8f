// model_mmu.h: an MMU made of the reference model alone, with no RTL.
//
// Answers each request as the reference predicts it: from the TLB
// organization's cached translation on a predicted hit, else from the spec
// walk, writing the walk's A/D update to memory as a Svadu MMU must. So it
// caches translations (and page-walk pointers) exactly as vmsim's RTL
// hierarchy would, and software that forgets an sfence reads stale
// translations here too.
//
// What it is for: running the guest runtime where the RTL is not built or
// not wanted (the fuzz targets of tests/fuzz/). It is never the checker of
// anything it answers; the RTL is checked against the reference elsewhere.
#pragma once

#include <memory>

#include "sw/mmu_port.h"
#include "testbench/check/reference_mmu.h"

namespace vmsim {

class ModelMmu final : public MmuPort {
 public:
  // `hierarchy`: the TLBs to model (vmsim's default build: one 16-entry L1);
  // each PTE read costs `pte_read_cycles`, a TLB hit one cycle.
  ModelMmu(PhysMemory& mem, const MmuFeatures& features, const TlbHierarchy& hierarchy = {},
           uint64_t pte_read_cycles = 20);

  Translation translate(VirtAddr va, Access access, Priv priv) override;
  void write_satp(uint64_t satp) override { ref_.write_satp(satp); }
  void set_control(const TranslationControl& ctl) override { ref_.set_control(ctl); }
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override { ref_.sfence(va, asid); }
  uint64_t cycles() const override { return cycles_; }

 private:
  PhysMemory& mem_;
  ReferenceMmu ref_;
  uint64_t pte_read_cycles_;
  uint64_t cycles_ = 0;
};

}  // namespace vmsim
