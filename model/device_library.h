// device_library.h: loading a device library (model/device.h) at run time.
//
// A library is opened once per process and kept (never closed: its Verilated
// runtime may hold static state until exit). Its ABI version is checked
// against the one vmsim was built with.
#pragma once

#include <memory>
#include <string>

#include "model/device.h"

namespace vmsim {

// Opens `path` (cached per path) and makes a device. Throws
// std::runtime_error naming the library and what is wrong.
std::unique_ptr<MmuDevice> create_device(const std::string& path, WalkerMemory& mem,
                                         const DeviceOptions& options);

// Opens and checks a library without making a device: the error, or empty.
std::string check_device_library(const std::string& path);

// Where vmsim's own device libraries are: $VMSIM_DEVICE_DIR if set, else the
// build's devices/ folder.
std::string device_dir();

}  // namespace vmsim
