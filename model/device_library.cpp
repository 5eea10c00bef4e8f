#include "model/device_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>

#include "sw/mmu_features.h"

namespace vmsim {

namespace {

struct Library {
  void* handle = nullptr;
  DeviceCreateFn create = nullptr;
};

Library open_library(const std::string& path) {
  // RTLD_LOCAL: each device keeps its own Verilated runtime.
  void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) throw std::runtime_error("cannot load device library '" + path + "': " + dlerror());
  auto abi = reinterpret_cast<DeviceAbiFn>(dlsym(h, kDeviceAbiSymbol));
  auto create = reinterpret_cast<DeviceCreateFn>(dlsym(h, kDeviceCreateSymbol));
  if (!abi || !create) {
    throw std::runtime_error("'" + path + "' is not a vmsim device library (no " + kDeviceAbiSymbol + "/" +
                             kDeviceCreateSymbol + ")");
  }
  if (abi() != kDeviceAbi) {
    throw std::runtime_error("device library '" + path + "' was built for device ABI " +
                             std::to_string(abi()) + ", this vmsim has " + std::to_string(kDeviceAbi) +
                             ": rebuild it");
  }
  return {h, create};
}

const Library& library(const std::string& path) {
  static std::mutex m;
  static std::map<std::string, Library> libraries;
  std::lock_guard<std::mutex> lock(m);
  auto it = libraries.find(path);
  if (it == libraries.end()) it = libraries.emplace(path, open_library(path)).first;
  return it->second;
}

}  // namespace

std::unique_ptr<MmuDevice> create_device(const std::string& path, WalkerMemory& mem,
                                         const DeviceOptions& options) {
  return std::unique_ptr<MmuDevice>(library(path).create(&mem, &options));
}

std::string check_device_library(const std::string& path) {
  // A memory that answers nothing: making a device resets it, and a reset
  // reads no PTE.
  struct NoMemory final : WalkerMemory {
    WalkerResponse access(const WalkerRequest&, uint64_t) override { return {}; }
  } none;
  try {
    const std::unique_ptr<MmuDevice> d = create_device(path, none, DeviceOptions{});
    std::string error;
    if (!parse_mmu_features(d->info().features, d->info().xlen, error)) {
      return "device '" + path + "' declares features '" + d->info().features + "': " + error;
    }
    return {};
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

std::string device_dir() {
  if (const char* dir = std::getenv("VMSIM_DEVICE_DIR"); dir && *dir) return dir;
  return VMSIM_DEVICE_DIR;
}

}  // namespace vmsim
