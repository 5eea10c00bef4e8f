// vmsim_mmu_device.cpp: vmsim's own MMU (rtl/mmu_top.sv) as a device library.
//
// Compiled once per Verilated build: VMSIM_MMU_TOP names the top class
// (Vmmu_top for RV64, Vmmu_top32 for RV32). It declares the TLB organization
// the reference knows ("vmsim"), reads its hierarchy from the model, and is
// idle while a PTE access is outstanding (mmu_ptw waits in READ_WAIT or
// WRITE_WAIT with nothing else running), so the driver may skip the latency.
#include <string>

#include "model/devices/device_entry.h"
#include "model/devices/pin_driver.h"
#include "model/devices/verilated_names.h"
#include "model/devices/vmsim_mmu_faults.h"
#include VMSIM_VERILATED_HEADER(VMSIM_MMU_TOP)
#include VMSIM_VERILATED_HEADER(VMSIM_CAT(VMSIM_MMU_TOP, ___024root))
#include VMSIM_VERILATED_HEADER(VMSIM_CAT(VMSIM_MMU_TOP, _mmu_top))

using MmuTopModule = VMSIM_CAT(VMSIM_MMU_TOP, _mmu_top);  // its exported parameters

namespace vmsim {
namespace {

DeviceInfo describe() {
  DeviceInfo d;
  d.xlen = MmuTopModule::Xlen;
  d.name = "vmsim-mmu" + std::to_string(d.xlen);
  d.organization = "vmsim";
  d.tlb.l1 = {MmuTopModule::Sets, MmuTopModule::Ways, TlbPolicy(MmuTopModule::Policy),
              MmuTopModule::SuperEntries};
  if (MmuTopModule::IWays > 0) {
    d.tlb.l1i = {MmuTopModule::ISets, MmuTopModule::IWays, TlbPolicy(MmuTopModule::IPolicy),
                 MmuTopModule::ISuperEntries};
  }
  if (MmuTopModule::L2Ways > 0) {
    d.tlb.l2 = {MmuTopModule::L2Sets, MmuTopModule::L2Ways, TlbPolicy(MmuTopModule::L2Policy),
                MmuTopModule::L2SuperEntries};
  }
  d.tlb.l2_latency = MmuTopModule::L2Latency;
  d.tlb.walkers = MmuTopModule::Walkers;
  d.tlb.slots = MmuTopModule::Slots;
  d.tlb.pwc = {PwcGeometry{MmuTopModule::Pwc1Entries, TlbPolicy(MmuTopModule::Pwc1Policy)},
               PwcGeometry{MmuTopModule::Pwc2Entries, TlbPolicy(MmuTopModule::Pwc2Policy)},
               PwcGeometry{MmuTopModule::Pwc3Entries, TlbPolicy(MmuTopModule::Pwc3Policy)},
               PwcGeometry{MmuTopModule::Pwc4Entries, TlbPolicy(MmuTopModule::Pwc4Policy)}};
  d.tlb_entries = d.tlb.entries();
  mark_build_flavour(d);
  d.idle_while_waiting = true;
  return d;
}

}  // namespace
}  // namespace vmsim

using VmsimMmuDriver = vmsim::PinDriver<VMSIM_MMU_TOP, vmsim::VmsimMmuFaults<VMSIM_MMU_TOP>>;
VMSIM_DEVICE_ENTRY(VmsimMmuDriver, vmsim::describe())
