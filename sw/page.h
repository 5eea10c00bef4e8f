// page.h: the kernel's record of one virtual page, of anonymous memory or
// of a file, and the memory objects that own them.
//
//   Process ──► AddressSpace ──► Region ──► MemoryObject ──► Page
//                                  (offset)    (by index)      │ frame / swap slot
//                                                              └ maps: every PTE that maps it (rmap)
//
// A private region has its own MemoryObject; a shared region's object is
// referenced by the regions of several processes, so its pages can be mapped
// in more than one page table at once. A Page lives in its object's map, so
// its address is stable for as long as the object exists.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sw/file_backend.h"
#include "sw/types.h"

namespace vmsim {

struct Process;
struct MemoryObject;

enum class PageState : uint8_t {
  kEmpty,     // never touched, or a clean zero page dropped: reads as zeros
              // (a file's page: not in the page cache, reads from the file)
  kResident,  // in `frame`
  kSwapped,   // only in swap `slot`
};

struct PageMapping {
  Process* proc;
  VirtAddr va;  // page-aligned
};

struct Page {
  MemoryObject* obj = nullptr;
  uint64_t index = 0;  // page number within the object
  PageState state = PageState::kEmpty;
  Ppn frame{};
  std::optional<uint64_t> slot;  // swap slot holding a copy
  bool swap_valid = false;       // that copy equals the frame (no store since)
  bool dirty = false;            // D seen in a mapping since the last clean point (a file
                                 // page: since it was last written back to the file)
  std::vector<PageMapping> maps;
  // Mapped by a transparent huge page, whose one A bit the kernel read and
  // cleared while looking at another page of it: this page was referenced
  // too, as far as anyone can tell (reverse_map.h).
  bool huge_young = false;

  // The replacement policy's handle for this page while it holds it (see
  // sw/policy/page_records.h). Opaque to the kernel: what the policy knows of
  // the page lives in the policy.
  static constexpr uint32_t kNoPolicyHandle = UINT32_MAX;
  uint32_t policy_handle = kNoPolicyHandle;
};

// After fork, a private object is frozen as the `backing` of two new, empty
// objects, one per process (the shadow objects of Mach and BSD): a page a
// process has not written since is read from down the chain, mapped without
// W; its first store copies it into the process's own object (a COW fault).
//
// A file's pages in the page cache are one object too (sw/kernel/page_cache.h),
// with `file` set: shared mappings of the file use it as their object, and a
// private mapping is an anonymous object with the file's as its `backing`, so
// that a private write copies the page as a fork's COW fault does. A file
// object holds data at every index below the file's end, cached or not.
struct MemoryObject {
  std::string name;
  bool shared = false;
  unsigned users = 0;    // regions referring to it
  unsigned shadows = 0;  // objects whose `backing` it is
  std::shared_ptr<MemoryObject> backing;
  std::unordered_map<uint64_t, Page> pages;
  std::optional<FileId> file;  // a file's page cache
  uint64_t file_pages = 0;     // the file's size in pages (its last one may be partial)

  // The page a read of `index` sees: this object's, or the nearest one's down
  // the chain that holds data (resident or swapped, or a file's page below
  // its end, cached or not). Null: it reads as zeros.
  Page* visible(uint64_t index) {
    for (MemoryObject* o = this; o; o = o->backing.get()) {
      if (o->file) return index < o->file_pages ? &o->page(index) : nullptr;
      auto it = o->pages.find(index);
      if (it != o->pages.end() && it->second.state != PageState::kEmpty) return &it->second;
    }
    return nullptr;
  }

  Page& page(uint64_t index) {
    auto [it, fresh] = pages.try_emplace(index);
    if (fresh) {
      it->second.obj = this;
      it->second.index = index;
    }
    return it->second;
  }
};

}  // namespace vmsim
