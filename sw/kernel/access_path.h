// access_path.h: a guest load, store or fetch, from the instruction's side.
//
// The MMU (RTL) translates. On a page fault the CPU traps into the kernel,
// the FaultHandler resolves it, and the access is retried, as a trap handler
// returning to the faulting instruction would (trap_and_retry). Data then
// moves through PhysMemory. An invalid access (a segfault, an access fault,
// an OOM kill) ends the process and comes back as a result; it never throws.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sw/kernel/khugepaged.h"
#include "sw/kernel/page_fault.h"

namespace vmsim {

struct InvalidAccess {
  int pid = 0;
  VirtAddr va;
  Access access;
  Priv priv;
  Cause cause;
  std::string reason;
};

struct AccessResult {
  bool ok = false;
  uint64_t value = 0;                  // loads and fetches
  std::optional<InvalidAccess> fault;  // set when !ok
};

class AccessPath {
 public:
  AccessPath(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, ProcessTable& procs,
             FaultHandler& faults, ReplacementPolicy& policy, Reclaimer& reclaim, PageCache& cache,
             Khugepaged& khugepaged, RuntimeStats& stats, KernelTime& time)
      : mem_(mem),
        mmu_(mmu),
        cfg_(cfg),
        procs_(procs),
        faults_(faults),
        policy_(policy),
        reclaim_(reclaim),
        cache_(cache),
        khugepaged_(khugepaged),
        stats_(stats),
        time_(time) {}

  // size is 1, 2, 4 or 8 and va must be aligned to it.
  AccessResult load(VirtAddr va, unsigned size, Priv priv);
  AccessResult store(VirtAddr va, uint64_t value, unsigned size, Priv priv);
  AccessResult fetch(VirtAddr va, Priv priv);  // reads a 4-byte instruction
  // Translates the coming accesses together (MmuPort::translate_batch: an MMU
  // with a window keeps several in flight). The next accesses, made in this
  // order, then take their answers instead of translating again, while the
  // MMU has done nothing since (its cycle count unchanged: a fault, an
  // sfence or a satp write in between drops the rest, which then translate
  // one at a time). A faulting answer is handled as if just translated.
  void prefetch(const TranslationRequest* reqs, size_t n);
  // Trace replay: the position of the next access in the reference string (OPT, LRU).
  void set_reference_position(uint64_t pos) { ref_pos_ = pos; }
  const std::vector<InvalidAccess>& invalid_log() const { return invalid_log_; }

 private:
  // One access: trap and retry, then the data, then what follows an access.
  AccessResult access(VirtAddr va, Access access, Priv priv, unsigned size, uint64_t* data);
  std::optional<PhysAddr> trap_and_retry(VirtAddr va, Access access, Priv priv,
                                         std::optional<InvalidAccess>& fault);
  // Counts a resolved fault, or ends the process; false when the access cannot go on.
  bool account(Process& p, FaultHandler::Resolution res, uint64_t cost, VirtAddr va, Access access, Priv priv,
               Cause cause, std::optional<InvalidAccess>& fault);
  AccessResult fail(VirtAddr va, Access access, Priv priv, Cause cause, std::string reason);
  void note_access(VirtAddr va);
  // The prefetched answer for this access, if it is the next one and still good.
  std::optional<Translation> take_prefetched(VirtAddr va, Access access, Priv priv);

  PhysMemory& mem_;
  MmuPort& mmu_;
  const RuntimeConfig& cfg_;
  ProcessTable& procs_;
  FaultHandler& faults_;
  ReplacementPolicy& policy_;
  Reclaimer& reclaim_;
  PageCache& cache_;        // its flusher's timer
  Khugepaged& khugepaged_;  // its scan's timer
  RuntimeStats& stats_;
  KernelTime& time_;
  uint64_t ref_pos_ = 0;
  std::vector<InvalidAccess> invalid_log_;  // the first kLogLimit
  std::vector<TranslationRequest> pre_reqs_;
  std::vector<Translation> pre_answers_;
  size_t pre_next_ = 0;
  uint64_t pre_cycles_ = 0;  // the MMU's cycle count when they were answered
  static constexpr size_t kLogLimit = 64;
};

}  // namespace vmsim
