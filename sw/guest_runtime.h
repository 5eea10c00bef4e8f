// guest_runtime.h: the operating system the guest workloads run on.
//
// Processes, each with its own page table and ASID; regions with mmap,
// munmap, mprotect and brk; page faults (minor, major, invalid); anonymous
// pages swapped out and back in; reclaim by a replacement policy, in the
// background (kswapd, below the low watermark, up to high) and directly in
// the faulting path (below min); and the OOM killer when memory and swap are
// both full.
//
// Every load, store and fetch of the workload goes through translate(): the
// MMU (RTL) translates; on a page fault the kernel resolves it and the access
// is retried, as a trap handler returning to the faulting instruction would.
// Data then moves through PhysMemory. Invalid accesses are returned as
// results (a segfault report) and end the process; they never throw.
//
// Files: guest_runtime.cpp (processes, regions, the access path),
// page_fault.cpp (fault handling), reclaim.cpp (eviction, kswapd, OOM),
// audit.cpp (the end-of-run consistency check).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sw/mmu_port.h"
#include "sw/process.h"
#include "sw/replacement_policy.h"
#include "sw/swap_space.h"

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
  std::string policy = "active-inactive";
  std::shared_ptr<const std::vector<uint64_t>> future;  // OPT: next use per reference position
  ReclaimMode reclaim = ReclaimMode::kWatermark;
  Watermarks watermarks{};
  uint64_t user_frames = 0;  // cap on frames holding user pages (0: none)
  // The kernel's own time, which the RTL does not see: trap entry, handler
  // and return for every page fault, and clearing a fresh page (one 8-byte
  // store a cycle). Swap I/O comes on top, from the device.
  uint64_t trap_cycles = 400;
  uint64_t zero_page_cycles = 512;
};

// kswapd. In co-simulation an SC_THREAD that runs background_reclaim() when
// woken; without one (nullptr) the kernel runs it itself after the access
// that crossed the low watermark.
class BackgroundReclaimer {
 public:
  virtual ~BackgroundReclaimer() = default;
  virtual void wake() = 0;
};

struct KernelServices {
  SwapBackend* swap = nullptr;
  BackgroundReclaimer* kswapd = nullptr;
  std::function<uint64_t()> clock;  // cycles now (MMU cycles plus device time if unset)
  // Called after a swap transfer with its latency, once the kernel's state is
  // consistent again: where the co-simulation lets simulated time pass (and
  // other threads run). Unset: the latency is only counted.
  std::function<void(uint64_t cycles)> io_wait;
};

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

struct OomKill {
  int pid;
  std::string name;
  uint64_t badness, rss, swap_entries, table_pages;
  int oom_score_adj;
};

struct RuntimeStats {
  FaultCounts faults;          // all processes, including ended ones
  uint64_t access_faults = 0;  // MMU access faults and data outside memory
  uint64_t swap_outs = 0, swap_ins = 0, swap_clean_drops = 0, zero_drops = 0;
  uint64_t swap_corrupt = 0;
  uint64_t reclaim_background = 0, reclaim_direct = 0, kswapd_wakeups = 0;
  uint64_t oom_kills = 0;
  uint64_t swap_cycles = 0;  // device time
};

struct AuditReport {
  std::vector<std::string> problems;
  bool clean() const { return problems.empty(); }
};

class GuestRuntime : private AccessedBits {
 public:
  GuestRuntime(PhysMemory& mem, MmuPort& mmu, const RuntimeConfig& cfg, KernelServices services = {});
  ~GuestRuntime() override;

  // ---- processes ----------------------------------------------------------
  // The first process is created by the constructor and is current.
  Process& create_process(const std::string& name, int oom_score_adj = 0);
  void switch_to(Process& p);  // context switch: writes satp
  Process& current() { return *current_; }
  Process* find_process(int pid);
  const std::vector<std::unique_ptr<Process>>& processes() const { return procs_; }
  void exit_process(Process& p, const std::string& reason);

  // ---- regions of the current process (compatible with issue 2) ------------
  AddressSpace& space() { return *current_->as; }
  bool add_lazy_region(const Region& r);
  bool add_eager_region(const Region& r, unsigned level);
  bool add_direct_map(VirtAddr base);
  // A region backed by `obj`, shared with every other process that maps it.
  bool add_shared_region(const Region& r, std::shared_ptr<MemoryObject> obj);

  // ---- memory system calls of the current process ---------------------------
  std::optional<VirtAddr> mmap(uint64_t length, Perms perms, std::shared_ptr<MemoryObject> shared = {});
  bool munmap(VirtAddr start, uint64_t length);
  bool mprotect(VirtAddr start, uint64_t length, Perms perms);
  std::optional<VirtAddr> brk(std::optional<VirtAddr> new_end);  // nullopt: query

  // ---- accesses of the current process ----------------------------------------
  // size is 1, 2, 4 or 8 and va must be aligned to it.
  AccessResult load(VirtAddr va, unsigned size, Priv priv);
  AccessResult store(VirtAddr va, uint64_t value, unsigned size, Priv priv);
  AccessResult fetch(VirtAddr va, Priv priv);  // reads a 4-byte instruction
  // Trace replay: the position of the next access in the reference string (OPT, LRU).
  void set_reference_position(uint64_t pos) { ref_pos_ = pos; }

  // ---- memory management ------------------------------------------------------
  void background_reclaim();  // kswapd's work: reclaim until free >= high
  // Whether the current process's page at va was referenced since the last
  // call, clearing its A bit and fencing its TLB entry (what aging does).
  bool test_and_clear_young(VirtAddr va);
  AuditReport audit();

  FrameBitmap& frames() { return frames_; }
  SwapSpace& swap() { return swap_; }
  const Watermarks& watermarks() const { return wm_; }
  const RuntimeStats& stats() const { return stats_; }
  const std::vector<InvalidAccess>& invalid_log() const { return invalid_log_; }
  const std::vector<OomKill>& oom_log() const { return oom_log_; }
  ReplacementPolicy& policy() { return *policy_; }
  uint64_t user_frames_in_use() const { return user_frames_; }
  // Flip bits in a swap slot as a failing device would (tests of the CRC check).
  void corrupt_swap_slot_for_test(uint64_t slot);

  // True while a kernel operation is in progress. Its state is inconsistent
  // then, so the co-simulation must not switch threads (the MMU wrapper does
  // not yield to SystemC, and kswapd waits) until it is false again.
  bool in_critical_section() const { return kernel_depth_ > 0; }

 private:
  enum class Outcome { kMinor, kMajor, kInvalid, kKilled };

  // Marks a kernel operation; swap I/O time is let pass when the outermost ends.
  class Section {
   public:
    explicit Section(GuestRuntime& k) : k_(k) { ++k_.kernel_depth_; }
    ~Section() {
      if (--k_.kernel_depth_ == 0) k_.flush_io();
    }
    Section(const Section&) = delete;
    Section& operator=(const Section&) = delete;

   private:
    GuestRuntime& k_;
  };
  void flush_io();
  void add_io(uint64_t cycles) { pending_io_ += cycles; }
  struct Resolution {
    Outcome outcome;
    std::string reason;
  };

  // guest_runtime.cpp
  std::optional<PhysAddr> translate(VirtAddr va, Access access, Priv priv,
                                    std::optional<InvalidAccess>& fault);
  AccessResult fail(VirtAddr va, Access access, Priv priv, Cause cause, std::string reason);
  void note_access(VirtAddr va);
  void release_range(Process& p, const Region& r);
  std::vector<std::pair<uint64_t, VirtAddr>> pages_in(const Region& r) const;
  void after_access();
  uint64_t now() const;

  // page_fault.cpp
  Resolution handle_fault(Process& p, VirtAddr va, Access access, Priv priv);
  Resolution swap_in(Process& p, Page& page, const Region& r, VirtAddr va, Access access);
  void map_page(Process& p, Page& page, const Region& r, VirtAddr va, Access access);
  std::optional<Ppn> alloc_user_frame(Process& requester);

  // reclaim.cpp
  bool test_and_clear(Page& page) override;  // AccessedBits
  bool reclaim_one(bool direct);
  bool evict(Page& victim);
  void unmap_everywhere(Page& page, bool& dirty);
  void free_page(Page& page);
  void make_resident(Page& page, Ppn frame);
  void release_user_frame(Ppn frame);
  Page* find_clean_victim();
  std::vector<MemoryObject*> live_objects() const;
  bool oom_kill(Process& requester);
  uint64_t badness(const Process& p, uint64_t* rss, uint64_t* swap, uint64_t* tables) const;
  void ensure_table_reserve();

  PhysMemory& mem_;
  MmuPort& mmu_;
  RuntimeConfig cfg_;
  KernelServices svc_;
  FrameBitmap frames_;
  SwapSpace swap_;
  std::unique_ptr<ReplacementPolicy> policy_;
  Watermarks wm_;
  std::vector<std::unique_ptr<Process>> procs_;
  Process* current_ = nullptr;
  std::vector<Region> kernel_regions_;  // mapped into every new process
  RuntimeStats stats_;
  std::vector<InvalidAccess> invalid_log_;  // the first kLogLimit
  std::vector<OomKill> oom_log_;
  uint64_t user_frames_ = 0;
  uint64_t fixed_frames_ = 0;       // huge-page regions: never reclaimed
  std::vector<Page*> frame_owner_;  // by frame number: the page in it, if any
  uint64_t ref_pos_ = 0;
  bool background_pending_ = false;
  int kernel_depth_ = 0;
  uint64_t pending_io_ = 0;     // swap latency and kernel time not yet let pass
  uint64_t kernel_cycles_ = 0;  // kernel time so far (see RuntimeConfig::trap_cycles)
  void charge_kernel(uint64_t cycles) {
    kernel_cycles_ += cycles;
    add_io(cycles);
  }
  bool in_background_ = false;
  static constexpr size_t kLogLimit = 64;
};

}  // namespace vmsim
