// process_table.h: the processes, the one running, and the kernel mappings
// every address space shares.
//
// A process is created with its own page table and ASID (the first ASID
// counts up), and with every kernel region mapped (global, supervisor only).
// switch_to() is the context switch: it writes satp. exit() tears the address
// space down: every region's pages released, the table's frames freed, the
// ASID fenced.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sw/kernel/kernel_time.h"
#include "sw/kernel/resident_pages.h"

namespace vmsim {

class ProcessTable {
 public:
  ProcessTable(PhysMemory& mem, PhysFrames& frames, MmuPort& mmu, ResidentPages& resident, KernelTime& time,
               PagingMode mode, Asid first_asid)
      : mem_(mem),
        frames_(frames),
        mmu_(mmu),
        resident_(resident),
        time_(time),
        mode_(mode),
        first_asid_(first_asid) {}

  // The caller keeps frames free for the new page table (FrameAllocator).
  Process& create(const std::string& name, int oom_score_adj);
  // A child with the parent's regions (not its huge-page regions: fixed
  // frames are never shared). Shared regions stay shared. Private ones become
  // copy-on-write (page.h): each of the parent's private objects is frozen as
  // the backing of two new ones, the parent's and the child's, and the
  // parent's mappings of its pages are dropped, so the next touch maps them
  // without W. Null past the process limit (one ASID each).
  Process* fork(Process& parent);
  // As many processes as there are ASIDs from the first one on.
  size_t process_limit() const { return max_processes(mode_, first_asid_); }
  static size_t max_processes(PagingMode mode, Asid first_asid);
  void switch_to(Process& p);
  void exit(Process& p, const std::string& reason);

  Process& current() { return *current_; }
  Process* find(int pid);
  const std::vector<std::unique_ptr<Process>>& all() const { return procs_; }

  // A kernel mapping of physical memory from 0, in the largest page that is
  // not absurdly large (1 GiB, or 4 MiB in Sv32), for every process, present
  // and future. False when a live process cannot map it.
  bool add_kernel_region(const Region& r);
  PagingMode mode() const { return mode_; }

 private:
  bool map_kernel_region(Process& p, const Region& k);

  PhysMemory& mem_;
  PhysFrames& frames_;
  MmuPort& mmu_;
  ResidentPages& resident_;
  KernelTime& time_;
  PagingMode mode_;
  Asid first_asid_;
  std::vector<std::unique_ptr<Process>> procs_;
  Process* current_ = nullptr;
  std::vector<Region> kernel_regions_;  // mapped into every new process
};

}  // namespace vmsim
