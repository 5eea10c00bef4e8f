// page_cache.h: files' pages in memory, and writing them back.
//
// Each file in use has one MemoryObject (page.h) holding its cached pages by
// page index, kept here for the rest of the run: a page stays cached after
// every mapping of it is gone, and dirty data written through a mapping
// reaches the file even after munmap or exit. A file page is never swapped:
//
//   not cached (kEmpty) ── read fault: fill() ──► cached, clean
//   cached, clean        ── store (D bit, or a write fault) ──► dirty
//   dirty                ── write_back(): flusher timer, msync ──► clean
//   cached               ── reclaim: evict(): written back if dirty, then dropped ──► not cached
//
// Whether a cached page is dirty is page.dirty or D in a PTE mapping it.
// Writeback clears D in those PTEs (and fences) before writing, so a store
// that comes after is seen again. The flusher runs every `writeback_period`
// completed guest accesses (Linux's flusher threads run on a clock).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sw/kernel/kernel_time.h"
#include "sw/kernel/resident_pages.h"
#include "sw/phys_memory.h"

namespace vmsim {

class PageCache {
 public:
  PageCache(PhysMemory& mem, FileBackend* files, ResidentPages& resident, ReverseMap& rmap,
            ReplacementPolicy& policy, RuntimeStats& stats, KernelTime& time, uint64_t writeback_period)
      : mem_(mem),
        files_(files),
        resident_(resident),
        rmap_(rmap),
        policy_(policy),
        stats_(stats),
        time_(time),
        period_(writeback_period) {}

  FileBackend* files() { return files_; }
  // The object caching file f's pages, made on first use; null when there
  // is no file store or no such file.
  std::shared_ptr<MemoryObject> object(FileId f);
  // Every file object made so far, by file number.
  const std::map<uint64_t, std::shared_ptr<MemoryObject>>& objects() const { return objects_; }

  // Reads the page from its file into `frame`; on success it is resident
  // there and clean. False on an I/O error (the frame is the caller's).
  bool fill(Page& page, Ppn frame);
  // Dirty (page.dirty or D in a mapping): written to the file, D cleared
  // in every mapping first. False on an I/O error: the page stays dirty.
  bool write_back(Page& page);
  // Reclaim: the page leaves its frame, written back first if dirty
  // (file.reclaim_writes) or dropped (file.drops). False when the write
  // failed: the page stays resident and dirty.
  bool evict(Page& page);
  // msync: writes back the cached pages [first, first + count) of `obj`.
  // False if any write failed.
  bool sync(MemoryObject& obj, uint64_t first, uint64_t count);
  bool sync_all();
  // A guest access completed: the flusher's timer.
  void note_access();
  // The audit: a clean cached page must equal its page in the file. Empty
  // when it does; else what differs.
  std::string check_clean_page(const Page& page);

 private:
  bool dirty(const Page& page) const { return page.dirty || rmap_.mapped_dirty(page); }
  bool write(Page& page, uint64_t& latency);

  PhysMemory& mem_;
  FileBackend* files_;
  ResidentPages& resident_;
  ReverseMap& rmap_;
  ReplacementPolicy& policy_;
  RuntimeStats& stats_;
  KernelTime& time_;
  uint64_t period_;
  uint64_t since_flush_ = 0;
  std::map<uint64_t, std::shared_ptr<MemoryObject>> objects_;
};

}  // namespace vmsim
