// rtl_mmu_core.h: the device under test, as the rest of vmsim uses it.
//
// An MmuPort over a device library loaded at run time (device_library.h):
// vmsim's own MMU for the XLEN asked (model/devices/vmsim_mmu_device.cpp), in
// the process's default flavour, or any library given. Nothing above model/
// sees Verilator: the device library drives the pins (pin_driver.h), and each
// walker memory request comes back here through a WalkerMemory, which is
// where the SystemC wrapper (b_transport) and the plain harness differ.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/device.h"
#include "sw/mmu_features.h"

namespace vmsim {

// The builds of vmsim's own MMU (a library each, per XLEN).
enum class DeviceFlavour {
  kFast,        // no assertions: vmsim itself
  kAssertions,  // the RTL's assertions on: the tests
  kTracing,     // FST waveforms (cmake -DVMSIM_TRACE=ON, or make trace)
};
// What RtlMmuCore loads when no library is named (tests: kAssertions).
void set_default_device_flavour(DeviceFlavour f);
std::string vmsim_mmu_library(unsigned xlen, DeviceFlavour f);

struct DeviceSpec {
  std::string library;     // a device library; empty: vmsim's own MMU for `xlen`
  unsigned xlen = 64;      // 64: Bare/Sv39/Sv48/Sv57; 32: Bare/Sv32
  std::string trace_path;  // FST waveform; vmsim's MMU then loads its tracing build
  DriverOptions driver;
};

class RtlMmuCore final : public MmuPort {
 public:
  // vmsim's own MMU, in the default flavour (tracing if a waveform is asked).
  explicit RtlMmuCore(WalkerMemory& mem, unsigned xlen = 64, const std::string& trace_path = {});
  RtlMmuCore(WalkerMemory& mem, const DeviceSpec& spec);
  ~RtlMmuCore() override;

  Translation translate(VirtAddr va, Access access, Priv priv) override {
    return d_->translate(va, access, priv);
  }
  void translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) override {
    d_->translate_batch(reqs, n, out);
  }
  void write_satp(uint64_t satp) override { d_->write_satp(satp); }
  void set_control(const TranslationControl& ctl) override { d_->set_control(ctl); }
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override { d_->sfence(va, asid); }
  uint64_t cycles() const override { return d_->cycles(); }

  const RtlMmuStats& stats() const { return d_->stats(); }
  const DeviceInfo& info() const { return d_->info(); }
  unsigned xlen() const { return d_->info().xlen; }
  // What the device implements (its DeviceInfo::features, read).
  const MmuFeatures& features() const { return features_; }
  // Breaks the device's internal state as `f` says (tests of the assertions).
  void inject_for_test(RtlFault f) { d_->inject_for_test(f); }
  // Whether vmsim's MMU has a tracing build (needed for --trace).
  static bool tracing_supported();

 private:
  std::unique_ptr<MmuDevice> d_;
  MmuFeatures features_;
};

}  // namespace vmsim
