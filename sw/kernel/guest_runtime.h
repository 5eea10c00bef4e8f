// guest_runtime.h: the operating system the guest workloads run on.
//
// GuestRuntime is the kernel's front door: the calls a workload makes
// (processes, memory system calls, loads, stores and fetches) and what a
// harness reads back (statistics, the audit). Behind it each job is a part
// of its own, in sw/kernel/, built in this order (each uses only parts
// above it):
//
//   KernelTime      kernel_time.h      the kernel's own cycles; critical sections
//   FramePool       frame_pool.h       frames, watermarks, which page each frame holds
//   ReverseMap      reverse_map.h      every PTE mapping a page: A, D, unmap (the policies' AccessedBits)
//   ResidentPages   resident_pages.h   pages entering and leaving frames; releasing a region's pages
//   PageCache       page_cache.h       files' pages: read faults fill it, writeback, the flusher
//   Swapper         swap.h             swap-out and swap-in
//   Reclaimer       reclaim.h          choosing victims: direct reclaim and kswapd
//   ProcessTable    process_table.h    processes, context switch, exit
//   OomKiller       oom_killer.h       when memory and swap are full
//   FrameAllocator  frame_allocator.h  a frame for a user page: free, reclaimed, or after an OOM kill
//   FaultHandler    page_fault.h       minor, major and invalid page faults
//   Compactor       compaction.h       moving user pages to free a large block
//   Khugepaged      khugepaged.h       transparent huge pages: promoting full aligned ranges
//   MemorySyscalls  syscalls.h         mmap, munmap, mprotect, brk, mremap; fixed regions
//   AccessPath      access_path.h      load/store/fetch: translate, trap and retry
//   Auditor         audit.h            the end-of-run consistency check
//
// The replacement policy (sw/policy/) is chosen by name in RuntimeConfig;
// AnonFileLists (anon_file_lists.h) keeps one for anonymous pages and one for
// file pages, and balances reclaim between them by swappiness.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sw/kernel/access_path.h"
#include "sw/kernel/audit.h"
#include "sw/kernel/syscalls.h"

namespace vmsim {

class GuestRuntime {
 public:
  // Throws std::invalid_argument for a bad configuration (watermarks, policy).
  GuestRuntime(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, KernelServices services = {});
  GuestRuntime(const GuestRuntime&) = delete;
  GuestRuntime& operator=(const GuestRuntime&) = delete;

  // ---- processes ----------------------------------------------------------
  // The first process ("init") is created by the constructor and is current.
  // With NUMA nodes, processes are placed on the nodes in turn (pid 1 on
  // node 0, pid 2 on node 1, ...) with the configured policy; a fork's child
  // keeps its parent's node and policy.
  Process& create_process(const std::string& name, int oom_score_adj = 0);
  void switch_to(Process& p) { procs_.switch_to(p); }  // context switch: writes satp
  Process& current() { return procs_.current(); }
  Process* find_process(int pid) { return procs_.find(pid); }
  const std::vector<std::unique_ptr<Process>>& processes() const { return procs_.all(); }
  void exit_process(Process& p, const std::string& reason) { procs_.exit(p, reason); }
  // fork(): a copy-on-write child of `parent` (ProcessTable::fork), not yet
  // current. Null past the process limit.
  Process* fork(Process& parent);
  // Pages a fork left shared that no process has written since (resident or
  // in swap): the frames copy-on-write has saved so far.
  uint64_t pages_shared_since_fork() const;

  // ---- regions and memory system calls of the current process --------------
  AddressSpace& space() { return *current().as; }
  bool add_lazy_region(const Region& r) { return sys_.add_lazy_region(r); }
  bool add_eager_region(const Region& r, unsigned level) { return sys_.add_eager_region(r, level); }
  bool add_direct_map(VirtAddr base) { return sys_.add_direct_map(base); }
  // A region backed by `obj`, shared with every other process that maps it.
  bool add_shared_region(const Region& r, std::shared_ptr<MemoryObject> obj) {
    return sys_.add_shared_region(r, std::move(obj));
  }
  std::optional<VirtAddr> mmap(uint64_t length, Perms perms, std::shared_ptr<MemoryObject> shared = {}) {
    return sys_.mmap(length, perms, std::move(shared));
  }
  bool munmap(VirtAddr start, uint64_t length) { return sys_.munmap(start, length); }
  bool mprotect(VirtAddr start, uint64_t length, Perms perms) { return sys_.mprotect(start, length, perms); }
  std::optional<VirtAddr> mremap(VirtAddr old, uint64_t old_len, uint64_t new_len, bool may_move) {
    return sys_.mremap(old, old_len, new_len, may_move);
  }
  std::optional<VirtAddr> brk(std::optional<VirtAddr> new_end) {
    return sys_.brk(new_end);
  }  // nullopt: query

  // ---- files ------------------------------------------------------------------
  // A new file (creat() and ftruncate()): `bytes` long, its bytes
  // file_pattern(seed, offset). Nullopt without a file store, or when it is full.
  std::optional<FileId> create_file(const std::string& name, uint64_t bytes, uint64_t seed) {
    return svc_.files ? svc_.files->create(name, bytes, seed) : std::nullopt;
  }
  MemorySyscalls::FileMapping mmap_file(FileId file, uint64_t offset, uint64_t length, Perms perms,
                                        bool shared) {
    return sys_.mmap_file(file, offset, length, perms, shared);
  }
  std::string msync(VirtAddr start, uint64_t length) { return sys_.msync(start, length); }
  // sync(): every dirty file page written back. False if a write failed.
  bool sync_files() {
    KernelTime::Section section(time_);
    return cache_.sync_all();
  }
  PageCache& page_cache() { return cache_; }
  // khugepaged's scan now, instead of on its timer; the ranges promoted.
  unsigned khugepaged_scan() { return khugepaged_.scan(); }
  NodeLists& lists() { return *policy_; }

  // ---- accesses of the current process --------------------------------------
  AccessResult load(VirtAddr va, unsigned size, Priv priv) { return access_.load(va, size, priv); }
  AccessResult store(VirtAddr va, uint64_t value, unsigned size, Priv priv) {
    return access_.store(va, value, size, priv);
  }
  AccessResult fetch(VirtAddr va, Priv priv) { return access_.fetch(va, priv); }
  void set_reference_position(uint64_t pos) { access_.set_reference_position(pos); }
  // Translates the coming accesses together (AccessPath::prefetch).
  void prefetch(const TranslationRequest* reqs, size_t n) { access_.prefetch(reqs, n); }

  // ---- memory management ------------------------------------------------------
  // Node `node`'s kswapd's work; with no node, every node's in turn.
  void background_reclaim(std::optional<unsigned> node = {}) {
    for (unsigned n = 0; n < frames_.nodes(); ++n) {
      if (!node || *node == n) reclaim_.background(n);
    }
  }
  // Whether the current process's page at va was referenced since the last
  // call, clearing its A bit and fencing its TLB entry (what aging does).
  bool test_and_clear_young(VirtAddr va);
  AuditReport audit() { return Auditor(procs_, frames_, swap_, *policy_, cache_).run(); }

  PhysFrames& frames() { return frames_.phys(); }
  SwapSpace& swap() { return swap_; }
  const Watermarks& watermarks(unsigned node = 0) const { return frames_.watermarks(node); }
  unsigned nodes() const { return frames_.nodes(); }
  uint64_t user_frames_on_node(unsigned node) const { return frames_.user_frames(node); }
  const RuntimeStats& stats() const { return stats_; }
  const std::vector<InvalidAccess>& invalid_log() const { return access_.invalid_log(); }
  const std::vector<OomKill>& oom_log() const { return oom_.log(); }
  ReplacementPolicy& policy() { return *policy_; }
  uint64_t user_frames_in_use() const { return frames_.user_frames(); }
  // Flip bits in a swap slot as a failing device would (tests of the CRC check).
  void corrupt_swap_slot_for_test(uint64_t slot) { swapper_.corrupt_slot_for_test(slot, *svc_.swap); }

  // True while a kernel operation is in progress. Its state is inconsistent
  // then, so the co-simulation must not switch threads (the MMU wrapper does
  // not yield to SystemC, and kswapd waits) until it is false again.
  bool in_critical_section() const { return time_.in_critical_section(); }

 private:
  PhysMemory& mem_;
  MmuPort& mmu_;
  RuntimeConfig cfg_;
  KernelServices svc_;
  RuntimeStats stats_;
  KernelTime time_{svc_, mmu_, stats_};
  FramePool frames_;
  std::unique_ptr<NodeLists> policy_;
  SwapSpace swap_;
  ReverseMap rmap_{mmu_, stats_};
  ResidentPages resident_{frames_, *policy_, rmap_, swap_};
  PageCache cache_{mem_, svc_.files, resident_, rmap_, *policy_, stats_, time_, cfg_.writeback_period};
  Swapper swapper_{mem_, swap_, resident_, cache_, rmap_, *policy_, stats_, time_};
  Reclaimer reclaim_{*policy_, rmap_, swapper_, frames_, stats_, time_, svc_.kswapd};
  ProcessTable procs_{mem_, frames_.phys(), mmu_, resident_, time_, cfg_.mode, cfg_.asid};
  OomKiller oom_{procs_, frames_.phys(), swap_, stats_};
  FrameAllocator alloc_{frames_, reclaim_, oom_, stats_};
  FaultHandler faults_{mem_, mmu_, cfg_, alloc_, resident_, swapper_, cache_, rmap_, time_};
  Compactor compactor_{mem_, frames_, resident_, rmap_, stats_, time_, 2 * cfg_.zero_page_cycles};
  Khugepaged khugepaged_{mem_, mmu_, cfg_, procs_, frames_, resident_, compactor_, stats_, time_};
  MemorySyscalls sys_{mem_, mmu_, procs_, resident_, cache_, frames_, alloc_, compactor_, time_};
  AccessPath access_{mem_,     mmu_,   cfg_,        procs_, faults_, *policy_,
                     reclaim_, cache_, khugepaged_, stats_, time_};
};

}  // namespace vmsim
