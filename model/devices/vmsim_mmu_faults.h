// vmsim_mmu_faults.h: fault injection into vmsim's own MMU, for the tests
// that make each internal assertion fire (tests/rtl/test_assertions.cpp).
// Only the assertion build exposes the registers it writes
// (rtl/fault_injection.vlt); other builds support no fault.
#pragma once

#include "model/device.h"

namespace vmsim {

template <typename V>
struct VmsimMmuFaults {
  // mmu_top's top_state_e
  static constexpr unsigned kTopIdle = 0, kTopWalk = 2;

  static bool supports(RtlFault) {
#ifdef VMSIM_ASSERT
    return true;
#else
    return false;
#endif
  }

  static bool inject(V& t, RtlFault f) {
#ifdef VMSIM_ASSERT
    auto& m = *t.rootp->mmu_top;
    switch (f) {
      case RtlFault::kWalkerBusyUntracked:
        m.state_q = kTopWalk;  // seen at the next edge
        return true;
      case RtlFault::kWalkerStateIllegal:
        m.u_ptw__DOT__state_q = 7;
        return true;
      case RtlFault::kWalkerAlreadyBusy:
        m.u_ptw__DOT__state_q = 1;  // READ_REQ, while the top believes it idle
        return true;
      case RtlFault::kStrayResponse:
        m.resp_valid_q = 1;
        return true;
      case RtlFault::kWalkerStuck:
        m.state_q = kTopWalk;
        m.u_ptw__DOT__state_q = 2;  // READ_WAIT, with no request out
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
    if (f == RtlFault::kRefillForgetsHit && t.rootp->mmu_top->state_q != kTopIdle) {
      t.rootp->mmu_top->l1_hit_q = 0;  // the L1 refill will not overwrite the entry that hit
      return true;
    }
#endif
    (void)t, (void)f;
    return false;
  }
};

}  // namespace vmsim
