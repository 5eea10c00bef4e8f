// plain_rtl_mmu.h: the RTL MMU stepped from plain C++, without SystemC.
//
// Same RtlMmuCore, with walker requests served straight from a SparseStore
// after a fixed latency. It is the speed baseline the co-simulation is
// measured against (`vmsim run --harness plain`) and the fast harness for
// unit tests that do not need SystemC.
#pragma once

#include <memory>
#include <string>

#include "model/rtl_mmu_core.h"
#include "model/sparse_store.h"

namespace vmsim {

class PlainWalkerMemory final : public WalkerMemory {
 public:
  PlainWalkerMemory(SparseStore& store, uint64_t latency_cycles) : store_(store), latency_(latency_cycles) {}
  WalkerResponse access(const WalkerRequest& req, uint64_t) override;

 private:
  SparseStore& store_;
  uint64_t latency_;
};

}  // namespace vmsim
