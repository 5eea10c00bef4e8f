// device.h: a device under test as vmsim sees it.
//
// A device is an MMU behind the pin contract in docs/device.md, Verilated
// into a shared library of its own, and loaded at run time (device_library.h).
// vmsim's own MMU is such a library (model/devices/vmsim_mmu_device.cpp);
// so is a user's MMU behind an adapter (model/devices/generic_device.cpp).
// Both are driven by the same code (pin_driver.h): there is no other way in.
//
// This header is the interface between vmsim and a device library: both are
// compiled against it, and kDeviceAbi (checked when a library is loaded)
// changes whenever it does.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sw/mmu_port.h"

namespace vmsim {

// ---- the walker's memory, served by the harness -------------------------------

struct WalkerRequest {
  PhysAddr addr;
  bool write = false;
  uint64_t wdata = 0;
  unsigned bytes = 8;  // PTE size: 8, or 4 in an RV32 (Sv32) device
};

struct WalkerResponse {
  bool ok = false;
  uint64_t rdata = 0;
  uint64_t latency_cycles = 0;
};

class WalkerMemory {
 public:
  virtual ~WalkerMemory() = default;
  // elapsed_cycles: cycles since the current MmuPort call began.
  virtual WalkerResponse access(const WalkerRequest& req, uint64_t elapsed_cycles) = 0;
};

// ---- the device -----------------------------------------------------------------

struct RtlMmuStats {
  uint64_t translations = 0;
  uint64_t tlb_hits = 0;  // served without a walk, by an L1 or the L2
  uint64_t l2_hits = 0;   // of those, by the L2 TLB
  uint64_t walks = 0;
  uint64_t walk_cycles = 0;  // cycles from request to response of translations that walked
  uint64_t pte_reads = 0;
  uint64_t pte_writes = 0;
  uint64_t sfences = 0;
  uint64_t satp_writes = 0;
  uint64_t mem_stall_cycles = 0;  // cycles the memory refused a request (back-pressure)
  // Walks by latency, from request to response: [c] counts the walks of c
  // cycles; the last bucket, those of kWalkLatencyBuckets - 1 cycles or more.
  static constexpr size_t kWalkLatencyBuckets = 1024;
  std::array<uint64_t, kWalkLatencyBuckets> walk_latency{};
  // Walks by depth: [n] counts the walks that read n PTEs (a page-walk cache
  // hit shortens a walk; a fault may end it early; 0: a non-canonical
  // address, or a root table outside memory).
  static constexpr size_t kWalkDepths = 6;
  std::array<uint64_t, kWalkDepths> walks_by_depth{};
  // Several translations outstanding (a device with the resp_merged_o and
  // walkers_busy_o pins): misses answered from another request's walk, and
  // cycles by the number of walkers busy in them ([0]: none busy).
  uint64_t merged_misses = 0;
  static constexpr size_t kMaxWalkers = 8;
  std::array<uint64_t, kMaxWalkers + 1> cycles_by_walkers_busy{};
  uint64_t busy_walker_cycles = 0;  // the sum over cycles of walkers busy
};

// The RTL reported an error: an assertion failed (the message names it and
// the cycle), or the MMU stopped answering. The device cannot be used after.
class RtlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Faults a test injects into vmsim's own MMU (assertion build), to see each
// internal assertion fire: rtl/fault_injection.vlt makes the state writable.
enum class RtlFault {
  kWalkerBusyUntracked,  // the top thinks a walk is on, the walker is idle    -> WalkTracked
  kWalkerStateIllegal,   // the walker's state register holds no state        -> StateLegal
  kSlotStateIllegal,     // a request slot's state register holds no state  -> SlotStateLegal
  kRefillForgetsHit,     // a refill forgets the entry it must overwrite        -> RefillNotDuplicate
  kStrayMemoryResponse,  // the memory answers with no request outstanding     -> RspOnlyWhenWaiting
  kStrayResponse,        // the MMU answers with no request outstanding        -> RespOnlyAfterRequest
  kWalkerStuck,          // a walk waits for a memory response that never comes -> the driver's timeout
};

struct DriverOptions {
  uint64_t max_cycles = 100'000;   // per request; beyond it the device is reported hung
  unsigned mem_stall_percent = 0;  // the share of cycles the memory refuses a request (0..90)
  uint64_t seed = 1;               // of the stalls
  // Translations the driver keeps outstanding in translate_batch (1..16; a
  // device needs request ids, req_id_i/resp_id_o, for more than 1).
  unsigned window = 1;
  // Tick through the memory's latency even when the device declares itself
  // idle meanwhile: a check of that declaration (the counts must not change).
  bool tick_through_latency = false;
};

struct DeviceOptions {
  std::string trace_path;  // FST waveform (a tracing build of the device)
  DriverOptions driver;
};

// Replacement policies of vmsim's TLB (rtl/mmu_pkg.sv REPL_*; hw_contract.cpp
// checks the numbers against the RTL's).
enum class TlbPolicy : uint8_t { kPlru = 0, kLru = 1, kFifo = 2, kRandom = 3 };
inline constexpr std::string_view kTlbPolicyNames[] = {"plru", "lru", "fifo", "random"};
inline std::string_view to_string(TlbPolicy p) {
  return unsigned(p) < 4 ? kTlbPolicyNames[unsigned(p)] : "?";
}
inline std::optional<TlbPolicy> parse_tlb_policy(std::string_view name) {
  for (unsigned i = 0; i < 4; ++i) {
    if (kTlbPolicyNames[i] == name) return TlbPolicy(i);
  }
  return std::nullopt;
}

// The L1 TLB of vmsim's RTL (rtl/mmu_tlb.sv): a sets x ways array with a
// replacement policy, and a fully associative tree-PLRU array for superpages
// (super_entries = 0: every size in the sets x ways array, then sets = 1).
struct TlbGeometry {
  unsigned sets = 1, ways = 16;
  TlbPolicy policy = TlbPolicy::kPlru;
  unsigned super_entries = 0;
  unsigned entries() const { return sets * ways + super_entries; }
  // "64x8 lru + 16 superpage", "1x16 plru"
  std::string describe() const {
    std::string s = std::to_string(sets) + "x" + std::to_string(ways) + " " + std::string(to_string(policy));
    if (super_entries) s += " + " + std::to_string(super_entries) + " superpage";
    return s;
  }
};

// A page-walk cache of vmsim's walker (rtl/mmu_ptw.sv): one per level of
// pointer PTEs, fully associative. entries = 0: none.
struct PwcGeometry {
  unsigned entries = 0;
  TlbPolicy policy = TlbPolicy::kPlru;
  bool operator==(const PwcGeometry&) const = default;
};
inline constexpr unsigned kPwcLevels = 4;  // pointers are read at levels 1..4 (Sv57)

// vmsim's translation hierarchy (rtl/mmu_top.sv): an L1 TLB for data (and
// for fetches when there is no instruction TLB), an optional L1 instruction
// TLB, an optional shared L2 TLB answering l2_latency cycles after an L1
// miss, and the walker's page-walk caches: pwc[L - 1] caches the pointers
// read at level L (L = 1: those naming leaf tables).
struct TlbHierarchy {
  TlbGeometry l1;
  std::optional<TlbGeometry> l1i;
  std::optional<TlbGeometry> l2;
  unsigned l2_latency = 2;
  std::array<PwcGeometry, kPwcLevels> pwc{};
  unsigned walkers = 1, slots = 1;  // page-table walkers, and translations the MMU holds at once
  bool has_pwc() const {
    for (const PwcGeometry& p : pwc) {
      if (p.entries) return true;
    }
    return false;
  }
  unsigned entries() const { return l1.entries() + (l1i ? l1i->entries() : 0) + (l2 ? l2->entries() : 0); }
  // "PWC L1 8 lru, L2 4 plru" (empty without one)
  std::string describe_pwc() const {
    std::string s;
    for (unsigned l = 1; l <= kPwcLevels; ++l) {
      const PwcGeometry& p = pwc[l - 1];
      if (!p.entries) continue;
      s += (s.empty() ? "PWC L" : ", L") + std::to_string(l) + " " + std::to_string(p.entries) + " " +
           std::string(to_string(p.policy));
    }
    return s;
  }
  // "1x16 plru" (one L1), or "L1D 16x4 plru + 32 superpage, L1I 1x8 plru, L2 128x8 lru (4 cycles)",
  // then the page-walk caches and the walkers if not the defaults
  std::string describe() const {
    std::string s = (!l1i && !l2) ? "" : l1i ? "L1D " : "L1 ";
    s += l1.describe();
    if (l1i) s += ", L1I " + l1i->describe();
    if (l2) s += ", L2 " + l2->describe() + " (" + std::to_string(l2_latency) + " cycles)";
    if (has_pwc()) s += "; " + describe_pwc();
    if (walkers > 1 || slots > 1)
      s += "; " + std::to_string(walkers) + " walkers, " + std::to_string(slots) + " slots";
    return s;
  }
};

struct DeviceInfo {
  std::string name;
  unsigned xlen = 64;
  // The TLB organization, when the reference knows it ("vmsim"): then hit
  // and miss at each level are checked too. Empty: architectural results only.
  std::string organization;
  unsigned tlb_entries = 0;
  TlbHierarchy tlb;  // with organization "vmsim"
  bool assertions = false, tracing = false, coverage = false;
  // Nothing inside changes while a PTE access is outstanding, so the driver
  // may add the memory's latency instead of ticking through it (faster,
  // same cycle counts). A device that does not declare it is ticked.
  bool idle_while_waiting = false;
  // What the MMU implements, as sw/mmu_features.h reads it ("sv39
  // svnapot"); empty: every mode of its XLEN and every extension.
  std::string features;
};

class MmuDevice : public MmuPort {
 public:
  virtual const DeviceInfo& info() const = 0;
  virtual const RtlMmuStats& stats() const = 0;
  // Throws std::logic_error unless the device supports fault injection.
  virtual void inject_for_test(RtlFault f) = 0;
};

// The entry points every device library exports (extern "C", unmangled).
inline constexpr int kDeviceAbi = 6;  // 6: translate_batch, walkers, merged misses
using DeviceAbiFn = int (*)();
using DeviceCreateFn = MmuDevice* (*)(WalkerMemory* mem, const DeviceOptions* options);
inline constexpr const char* kDeviceAbiSymbol = "vmsim_device_abi";
inline constexpr const char* kDeviceCreateSymbol = "vmsim_device_create";

}  // namespace vmsim
