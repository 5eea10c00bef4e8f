// pin_driver.h: drives a Verilated device through the pins of the device
// contract (docs/device.md), for any top class V that has them. Included
// by the device libraries only (model/devices/), never by vmsim itself.
//
// Timing, as a real testbench drives a flop-based design: inputs change after
// a clock edge and are evaluated with the clock low (settle), so the next
// rising edge samples them and assertions see them (Verilator samples an
// assertion's inputs at the start of an evaluation, its combinational
// signals from the evaluation before). A device whose outputs depend only on
// its state (vmsim's fast build) needs no such evaluation: the edge's own
// evaluation runs the input-driven logic first, with identical results.
//
// The translation port: one request at a time, held until req_ready_o, then
// one response; or, in translate_batch with a window of W, up to W requests
// outstanding, each tagged (req_id_i) and answered in any order (resp_id_o).
// A device's occupancy pins (walkers_busy_o) are sampled every cycle. The memory port: a request is taken at
// an edge where mem_req_valid_o and mem_req_ready_i are both high (the driver can refuse at random:
// back-pressure); any number may be outstanding; each response comes after the memory's latency, in order,
// one per cycle. A device that declares itself idle while it waits has the latency added to the cycle count
// instead of being ticked through it (same counts, fewer evaluations).
//
// After every evaluation the driver asks whether an assertion failed, and
// throws RtlError with its message (naming it) and the cycle. A request with
// no answer within max_cycles throws too: the device is hung.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "model/device.h"
#include "model/devices/rtl_messages.h"
#include "verilated.h"
#ifdef VMSIM_TRACE
#include "verilated_fst_c.h"
#endif

namespace vmsim {

// What a device library adds to the generic driver: its fault injection,
// if it has any (vmsim's MMU does, model/devices/vmsim_mmu_faults.h).
// supports(): whether the fault can be injected; inject(): applies it now,
// or returns false for a fault applied once the next request is accepted
// (after_accept() returns true when it was).
template <typename V>
struct NoFaultInjection {
  static bool supports(RtlFault) { return false; }
  static bool inject(V&, RtlFault) { return false; }
  static bool after_accept(V&, RtlFault) { return false; }
};

template <typename V, typename Faults = NoFaultInjection<V>>
class PinDriver final : public MmuDevice {
 public:
  PinDriver(WalkerMemory& mem, const DeviceOptions& opts, DeviceInfo info);
  ~PinDriver() override;

  Translation translate(VirtAddr va, Access access, Priv priv) override;
  void translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) override;
  void write_satp(uint64_t satp) override;
  void set_control(const TranslationControl& ctl) override;
  void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override;
  uint64_t cycles() const override { return cycles_; }
  const DeviceInfo& info() const override { return info_; }
  const RtlMmuStats& stats() const override { return stats_; }
  void inject_for_test(RtlFault f) override;

 private:
  // The request being served, for the report of a hung device.
  struct Call {
    VirtAddr va;
    Access access;
    Priv priv;
    uint64_t start;
    std::optional<WalkerRequest> last_walker_access;
    uint64_t last_walker_cycle = 0;
    unsigned pte_reads = 0;  // this request's PTE reads
  };
  struct Pending {  // a memory response on its way
    WalkerResponse rsp;
    uint64_t due;
  };

  void settle();
  void check();
  void tick(bool drop_request);
  void cycle(Call& call, bool drop_request = false);  // one clock cycle, the memory port served
  void drive_memory_port();
  void control_cycle();  // a cycle of the control port, with no request
  void timeout(const Call& call);
  // The response on the port now, as a Translation; counted in the stats.
  // depth_known: pte_reads is the walk's count (else walks are not counted by depth).
  Translation take_response(uint64_t latency, unsigned pte_reads, bool depth_known = true);
  Translation take_windowed_response(uint64_t latency);
  // translate_batch with several outstanding (a device with request ids).
  void translate_window(const TranslationRequest* reqs, size_t n, Translation* out);
  [[noreturn]] void hung(const Call& call);

  WalkerMemory& mem_;
  DriverOptions opts_;
  DeviceInfo info_;
  VerilatedContext ctx_;
  std::unique_ptr<V> top_;
  RtlMmuStats stats_;
  uint64_t cycles_ = 0;
  // Simulated time per clock cycle, in the model's time unit (Verilator's
  // default precision, 1 ps): a cycle is 1 ns, as everywhere in vmsim. The
  // waveform has cycle n's rising edge at n ns and its falling edge half a
  // nanosecond later.
  static constexpr uint64_t kPsPerCycle = 1000;
  bool settle_ = true;  // evaluate inputs before each edge (see above)
  std::deque<Pending> pending_;
  std::mt19937_64 stall_rng_;
  std::optional<RtlFault> after_accept_fault_;
  bool stray_response_ = false;
  bool windowed_ = false;  // several translations in flight: tick through every cycle
#ifdef VMSIM_TRACE
  std::unique_ptr<VerilatedFstC> fst_;
#endif
};

}  // namespace vmsim

#include "model/devices/pin_driver_impl.h"
