// runtime_config.h: how a kernel is set up, what the harness gives it, and
// the figures it keeps.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sw/file_backend.h"
#include "sw/kernel/swap_space.h"
#include "sw/mmu_port.h"
#include "sw/paging.h"
#include "sw/policy/replacement_policy.h"
#include "sw/process.h"

namespace vmsim {

enum class ReclaimMode {
  kWatermark,  // kswapd below low (to high), direct reclaim below min
  kOnDemand,   // evict only when a fault finds no free frame (textbook paging)
};

struct Watermarks {
  uint64_t min = 0, low = 0, high = 0;  // free frames; all 0: derived from memory size
};

struct RuntimeConfig {
  PagingMode mode = PagingMode::kSv39;
  Asid asid{1};  // the first process's ASID; later ones count up
  TranslationControl control{};
  std::string policy{kDefaultPolicy};
  std::function<NextUse()> future;  // the future reference string, for policies that need it (OPT)
  ReclaimMode reclaim = ReclaimMode::kWatermark;
  Watermarks watermarks{};
  uint64_t user_frames = 0;  // cap on frames holding user pages (0: none)
  // The kernel's own time, which the RTL does not see: trap entry, handler
  // and return for every page fault, and clearing a fresh page (one 8-byte
  // store a cycle). Swap I/O comes on top, from the device.
  uint64_t trap_cycles = 400;
  uint64_t zero_page_cycles = 512;
  // Reclaim's balance between anonymous and file pages, as Linux's
  // vm.swappiness (0..200; anon_file_lists.h says how it is used).
  unsigned swappiness = 60;
  // The flusher writes dirty file pages back every this many completed
  // guest accesses (0: only msync and reclaim write them).
  uint64_t writeback_period = 16384;
  // Transparent huge pages: khugepaged looks for fully populated, aligned
  // ranges of private anonymous memory every this many completed guest
  // accesses, and maps each with one superpage leaf (khugepaged.h).
  bool thp = false;
  uint64_t khugepaged_period = 4096;
  // NUMA: memory split into this many nodes (1 .. 8), each with its own free
  // lists, watermarks, reclaim lists and kswapd; processes are placed on
  // nodes in turn as they are made, with this allocation policy.
  unsigned nodes = 1;
  NumaPolicy numa_policy = NumaPolicy::kLocal;
};

// What happened on one NUMA node.
struct NodeStats {
  uint64_t allocations = 0;     // frames for user pages taken from this node
  uint64_t fallbacks = 0;       // of those, for a process that preferred another node (full)
  uint64_t kswapd_wakeups = 0;  // this node's kswapd
  uint64_t reclaimed_background = 0, reclaimed_direct = 0;  // pages reclaimed from this node
};

// kswapd, one per NUMA node. In co-simulation an SC_THREAD per node that runs
// background_reclaim(node) when woken; without one (nullptr) the kernel runs
// it itself after the access that crossed the low watermark.
class BackgroundReclaimer {
 public:
  virtual ~BackgroundReclaimer() = default;
  // Node `node` fell below its low watermark: its kswapd should run
  // GuestRuntime::background_reclaim(node).
  virtual void wake(unsigned node) = 0;
};

struct KernelServices {
  SwapBackend* swap = nullptr;
  BackgroundReclaimer* kswapd = nullptr;
  std::function<uint64_t()> clock;  // cycles now (MMU cycles plus device time if unset)
  // Called after a swap transfer with its latency, once the kernel's state is
  // consistent again: where the co-simulation lets simulated time pass (and
  // other threads run). Unset: the latency is only counted.
  std::function<void(uint64_t cycles)> io_wait;
  FileBackend* files = nullptr;  // where files live (none: no file can be made)
};

struct RuntimeStats {
  FaultCounts faults;          // all processes, including ended ones
  uint64_t access_faults = 0;  // MMU access faults and data outside memory
  uint64_t swap_outs = 0, swap_ins = 0, swap_clean_drops = 0, zero_drops = 0;
  uint64_t swap_corrupt = 0;
  uint64_t swap_write_errors = 0;  // writes the swap device refused (the host's disk full, say)
  uint64_t reclaim_background = 0, reclaim_direct = 0, kswapd_wakeups = 0;
  uint64_t oom_kills = 0;
  // The replacement policy's looks at A: tests, and the fences of those that
  // found A set (clearing it must drop the TLB entry, or the next reference
  // would hit there and leave A clear).
  uint64_t a_bit_tests = 0, a_bit_fences = 0;
  uint64_t swap_cycles = 0;  // device time
  // Compaction: runs that moved pages to free a block, and the pages moved.
  uint64_t compactions = 0, pages_migrated = 0;
  uint64_t forks = 0;
  // Files: page-cache misses read from the file; pages written to files (by
  // the flusher, msync or reclaim), of which by reclaim; clean file pages
  // reclaim dropped; flusher runs; device time.
  uint64_t file_reads = 0, file_writes = 0, file_reclaim_writes = 0, file_drops = 0, file_flushes = 0;
  uint64_t file_read_errors = 0, file_write_errors = 0, file_cycles = 0;
  // Transparent huge pages: ranges khugepaged promoted to one leaf, huge
  // leaves split back (reclaim, munmap, mprotect, fork, mremap, compaction),
  // and promotions given up for want of a free block.
  uint64_t thp_promotions = 0, thp_splits = 0, thp_no_block = 0;
  std::vector<NodeStats> nodes;  // by node (one with a single node)
};

}  // namespace vmsim
