// generic_device.cpp: any MMU behind the device contract (docs/device.md), as
// a device library. The user's adapter module is the Verilated top; its
// prefix is VMSIM_DUT_TOP, its name VMSIM_DUT_NAME and its XLEN
// VMSIM_DUT_XLEN, what it implements VMSIM_DUT_FEATURES (compile definitions
// set by vmsim_add_user_device() in CMakeLists.txt).
//
// The reference does not know a foreign TLB's organization, so only
// architectural results are checked (docs/translation.md, "How the RTL is
// verified"), and the driver ticks every cycle of the memory's latency: it
// cannot know that nothing inside changes meanwhile.
#include "model/devices/device_entry.h"
#include "model/devices/pin_driver.h"
#include "model/devices/verilated_names.h"
#include VMSIM_VERILATED_HEADER(VMSIM_DUT_TOP)

namespace vmsim {
namespace {

DeviceInfo describe() {
  DeviceInfo d;
  d.name = VMSIM_DUT_NAME;
  d.xlen = VMSIM_DUT_XLEN;
  d.features = VMSIM_DUT_FEATURES;
  mark_build_flavour(d);
  return d;
}

}  // namespace
}  // namespace vmsim

VMSIM_DEVICE_ENTRY(vmsim::PinDriver<VMSIM_DUT_TOP>, vmsim::describe())
