#include "model/plain_rtl_mmu.h"

#include <cstring>

namespace vmsim {

WalkerResponse PlainWalkerMemory::access(const WalkerRequest& req, uint64_t) {
  WalkerResponse rsp;
  rsp.latency_cycles = latency_;
  if (!store_.in_range(req.addr.value(), req.bytes)) return rsp;
  uint8_t* p = store_.data() + req.addr.value();
  if (req.write)
    std::memcpy(p, &req.wdata, req.bytes);
  else
    std::memcpy(&rsp.rdata, p, req.bytes);
  rsp.ok = true;
  return rsp;
}

}  // namespace vmsim
