// device_entry.h: the two functions every device library exports.
//
//   int vmsim_device_abi()            kDeviceAbi, checked when vmsim loads it
//   MmuDevice* vmsim_device_create(WalkerMemory*, const DeviceOptions*)
//
// VMSIM_DEVICE_ENTRY(Driver, info) defines both, for a driver class
// (a PinDriver over the Verilated top) and the device's DeviceInfo.
#pragma once

#include "model/device.h"

namespace vmsim {

// The build flavour this library was compiled as (CMake's vmsim_add_device
// defines these), recorded in its DeviceInfo: one place for every device.
inline void mark_build_flavour(DeviceInfo& d) {
#ifdef VMSIM_ASSERT
  d.assertions = true;
#endif
#ifdef VMSIM_TRACE
  d.tracing = true;
#endif
#ifdef VMSIM_COVERAGE
  d.coverage = true;
#endif
  (void)d;
}

}  // namespace vmsim

#define VMSIM_DEVICE_ENTRY(Driver, info)                                                   \
  extern "C" __attribute__((visibility("default"))) int vmsim_device_abi() {               \
    return vmsim::kDeviceAbi;                                                              \
  }                                                                                        \
  extern "C" __attribute__((visibility("default"))) vmsim::MmuDevice* vmsim_device_create( \
      vmsim::WalkerMemory* mem, const vmsim::DeviceOptions* options) {                     \
    return new Driver(*mem, *options, info);                                               \
  }
