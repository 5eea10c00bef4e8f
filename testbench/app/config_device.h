// config_device.h: `--config FILE`, a named MMU configuration (configs/),
// turned into the device library that implements it.
//
// The RTL of a configuration is Verilated and compiled once, by CMake from
// this source tree, and kept in a cache under a hash of everything that
// makes one build differ from another: the configuration's parameters, the
// device ABI, and the contents of the RTL and device sources and of
// cmake/devices.cmake (how every device is compiled). Later runs
// with the same configuration load it at once; a change to the RTL makes a
// new build. Concurrent runs (a sweep's jobs) building the same
// configuration wait for one another on a lock, and build it once.
//
// The cache is $VMSIM_CACHE_DIR when set, else config-cache/ in the build
// directory vmsim was built in.
#pragma once

#include <string>

namespace vmsim {

// Sets `device` to the library for the configuration in `config_path`,
// building it first when it is not cached, with a progress line on stderr.
// Returns -1 to go on, or an exit status (2: a bad configuration file, 1: the
// build failed; both say why, the latter with its log).
int device_for_config(const std::string& config_path, std::string& device);

}  // namespace vmsim
