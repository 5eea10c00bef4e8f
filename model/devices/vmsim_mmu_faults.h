// vmsim_mmu_faults.h: fault injection into vmsim's own MMU, for the tests
// that make each internal assertion fire (tests/rtl/test_assertions.cpp).
// Only the assertion build exposes the registers it writes
// (rtl/fault_injection.vlt); other builds support no fault.
#pragma once

#include "model/device.h"

namespace vmsim {

template <typename V>
struct VmsimMmuFaults {
  // mmu_pkg::slot_state_e and mmu_ptw's state_e
  static constexpr unsigned kSlotResp = 1, kSlotWalk = 4, kSlotIllegal = 7;
  static constexpr unsigned kWalkerReadWait = 2, kWalkerIllegal = 7;

  static bool supports(RtlFault) {
#ifdef VMSIM_ASSERT
    return true;
#else
    return false;
#endif
  }

  // Slot 0 and walker 0: the ones a quiet MMU uses next.
  static bool inject(V& t, RtlFault f) {
#ifdef VMSIM_ASSERT
    auto& m = *t.rootp->mmu_top;
    auto& slot = m.gen_slot__BRA__0__KET____DOT__u_slot__DOT__state_q;
    auto& walker = m.gen_walker__BRA__0__KET____DOT__u_ptw__DOT__state_q;
    switch (f) {
      case RtlFault::kWalkerBusyUntracked:
        slot = kSlotWalk;  // seen at the next edge
        return true;
      case RtlFault::kWalkerStateIllegal:
        walker = kWalkerIllegal;
        return true;
      case RtlFault::kSlotStateIllegal:
        slot = kSlotIllegal;
        return true;
      case RtlFault::kStrayResponse:
        slot = kSlotResp;
        return true;
      case RtlFault::kWalkerStuck:
        slot = kSlotWalk;
        walker = kWalkerReadWait;  // with no request out
        return true;
      default:
        return false;  // after the next request is accepted
    }
#else
    (void)t, (void)f;
    return false;
#endif
  }

  static bool after_accept(V& t, RtlFault f) {
#ifdef VMSIM_ASSERT
    if (f == RtlFault::kRefillForgetsHit) {
      t.rootp->mmu_top->u_tlb__DOT__inject_forget_q = 1;  // the L1 data TLB's refill search
      return true;
    }
#endif
    (void)t, (void)f;
    return false;
  }
};

}  // namespace vmsim
