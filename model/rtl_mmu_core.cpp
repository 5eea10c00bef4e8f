#include "model/rtl_mmu_core.h"

#include <filesystem>
#include <stdexcept>

#include "model/device_library.h"

namespace vmsim {

namespace {
DeviceFlavour& default_flavour() {
  static DeviceFlavour f = DeviceFlavour::kFast;
  return f;
}
}  // namespace

void set_default_device_flavour(DeviceFlavour f) {
  default_flavour() = f;
}

std::string vmsim_mmu_library(unsigned xlen, DeviceFlavour f) {
  if (xlen != 32 && xlen != 64) throw std::invalid_argument("xlen must be 32 or 64");
  const char* suffix = f == DeviceFlavour::kAssertions ? "_assert"
                       : f == DeviceFlavour::kTracing  ? "_trace"
                                                       : "";
  return device_dir() + "/libvmsim_mmu" + std::to_string(xlen) + suffix + ".so";
}

bool RtlMmuCore::tracing_supported() {
  return std::filesystem::exists(vmsim_mmu_library(64, DeviceFlavour::kTracing));
}

RtlMmuCore::RtlMmuCore(WalkerMemory& mem, unsigned xlen, const std::string& trace_path)
    : RtlMmuCore(mem, DeviceSpec{{}, xlen, trace_path, {}}) {}

RtlMmuCore::RtlMmuCore(WalkerMemory& mem, const DeviceSpec& spec) {
  std::string path = spec.library;
  if (path.empty()) {
    path =
        vmsim_mmu_library(spec.xlen, spec.trace_path.empty() ? default_flavour() : DeviceFlavour::kTracing);
  }
  d_ = create_device(path, mem, DeviceOptions{spec.trace_path, spec.driver});
  if (d_->info().xlen != spec.xlen) {
    throw std::runtime_error("device '" + path + "' is an RV" + std::to_string(d_->info().xlen) +
                             " MMU, and RV" + std::to_string(spec.xlen) + " was asked for");
  }
  std::string error;
  const std::optional<MmuFeatures> f = parse_mmu_features(d_->info().features, d_->info().xlen, error);
  if (!f)
    throw std::runtime_error("device '" + path + "' declares features '" + d_->info().features +
                             "': " + error);
  features_ = *f;
}

RtlMmuCore::~RtlMmuCore() = default;

}  // namespace vmsim
