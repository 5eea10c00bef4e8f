#include "testbench/check/model_mmu.h"

#include "testbench/check/tlb_model.h"

namespace vmsim {

ModelMmu::ModelMmu(PhysMemory& mem, const MmuFeatures& features, const TlbHierarchy& hierarchy,
                   uint64_t pte_read_cycles)
    : mem_(mem), ref_(mem, features, make_vmsim_tlb(hierarchy)), pte_read_cycles_(pte_read_cycles) {}

Translation ModelMmu::translate(VirtAddr va, Access access, Priv priv) {
  const Expectation e = ref_.expect(va, access, priv);
  cycles_ += 1;
  if (!e.hit) cycles_ += e.spec.pte_reads() * pte_read_cycles_;
  if (e.ad_required) {
    // The PTE as the walk leaves it, one word of the hart's width
    // (little-endian, as the host is).
    const WalkStep& w = *e.spec.ad_update;
    mem_.write(w.pte_addr, &w.pte, ref_.xlen() / 8);
  }
  return e.answer;
}

}  // namespace vmsim
