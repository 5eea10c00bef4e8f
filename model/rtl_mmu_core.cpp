#include "model/rtl_mmu_core.h"

#include <stdexcept>
#include <string>

#include "Vmmu_top.h"
#include "Vmmu_top32.h"
#include "Vmmu_top32___024root.h"
#include "Vmmu_top32_mmu_top.h"
#include "Vmmu_top___024root.h"
#include "Vmmu_top_mmu_top.h"
#include "model/verilated_mmu_driver.h"

namespace vmsim {

// Read from the model itself: the Entries parameter it was Verilated with
// (hw_contract.cpp checks that the RV32 build has the same).
unsigned RtlMmuCore::tlb_entries() {
  return Vmmu_top_mmu_top::Entries;
}

bool RtlMmuCore::assertions_enabled() {
#ifdef VMSIM_ASSERT
  return true;
#else
  return false;
#endif
}

void RtlMmuCore::inject_for_test(RtlFault f) {
  d_->inject(f);
}

bool RtlMmuCore::tracing_supported() {
#ifdef VMSIM_TRACE
  return true;
#else
  return false;
#endif
}

RtlMmuCore::RtlMmuCore(WalkerMemory& mem, unsigned xlen, const std::string& trace_path) : xlen_(xlen) {
  if (xlen == 64)
    d_ = std::make_unique<VerilatedMmuDriver<Vmmu_top>>(mem, 8, trace_path);
  else if (xlen == 32)
    d_ = std::make_unique<VerilatedMmuDriver<Vmmu_top32>>(mem, 4, trace_path);
  else
    throw std::invalid_argument("RtlMmuCore: xlen must be 32 or 64");
}

RtlMmuCore::~RtlMmuCore() = default;

Translation RtlMmuCore::translate(VirtAddr va, Access access, Priv priv) {
  return d_->translate(va, access, priv);
}
void RtlMmuCore::write_satp(uint64_t satp) {
  d_->write_satp(satp);
}
void RtlMmuCore::set_control(const TranslationControl& ctl) {
  d_->set_control(ctl);
}
void RtlMmuCore::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  d_->sfence(va, asid);
}
uint64_t RtlMmuCore::cycles() const {
  return d_->cycles();
}
const RtlMmuStats& RtlMmuCore::stats() const {
  return d_->stats;
}

}  // namespace vmsim
