// reclaim.cpp: getting frames back.
//
//   alloc_user_frame ── free > min? ── take it (and wake kswapd below low)
//          │ no
//          ▼
//   direct reclaim: reclaim_one() ── policy.victim() ── evict()
//          │ nothing evictable                       ├─ clean, swap copy valid: drop (swap.clean_drops)
//          ▼                                          ├─ clean, never written: drop (zero page)
//   oom_kill(): the process with the worst badness    └─ dirty: write to swap (swap.outs)
//
// kswapd (background_reclaim) runs the same reclaim_one() until free frames
// reach the high watermark. With --reclaim on-demand nothing is reclaimed
// ahead of time: a fault that finds no free frame (or the user-frame cap
// reached) evicts exactly one page, as in textbook paging.
#include <algorithm>
#include <set>
#include <vector>

#include "sw/guest_runtime.h"

namespace vmsim {

namespace {
constexpr uint64_t kTableReserve = 8;  // frames kept for page tables in on-demand mode
}

void GuestRuntime::make_resident(Page& page, Ppn frame) {
  page.frame = frame;
  page.state = PageState::kResident;
  page.dirty = false;
  frame_owner_[frame.value()] = &page;
  policy_->insert(page);
}

void GuestRuntime::release_user_frame(Ppn frame) {
  frames_.free(frame);
  frame_owner_[frame.value()] = nullptr;
  --user_frames_;
}

std::optional<Ppn> GuestRuntime::alloc_user_frame(Process& requester) {
  for (int round = 0; round < 1024; ++round) {
    const bool capped = cfg_.user_frames && user_frames_ >= cfg_.user_frames;
    const uint64_t floor = cfg_.reclaim == ReclaimMode::kOnDemand ? kTableReserve : wm_.min;
    if (!capped && frames_.free_count() > floor) {
      auto f = frames_.alloc();
      ++user_frames_;
      if (cfg_.reclaim == ReclaimMode::kWatermark && frames_.free_count() < wm_.low && !in_background_) {
        if (svc_.kswapd) {
          svc_.kswapd->wake();
        } else {
          background_pending_ = true;
        }
      }
      return f;
    }
    if (reclaim_one(true)) continue;
    if (!oom_kill(requester) || !requester.alive) return std::nullopt;
  }
  return std::nullopt;
}

void GuestRuntime::ensure_table_reserve() {
  for (int i = 0; i < 64 && frames_.free_count() < kTableReserve; ++i) {
    if (!reclaim_one(true)) break;
  }
}

bool GuestRuntime::test_and_clear(Page& page) {
  bool young = false;
  for (const PageMapping& m : page.maps) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    if (!slot || !(slot->entry & pte::kA)) continue;
    young = true;
    m.proc->as->table().update(*slot, slot->entry & ~pte::kA);
    // Without this the TLB keeps the translation, later accesses hit there,
    // and the walker never sets A again: the page would look unused.
    mmu_.sfence(m.va, m.proc->as->asid());
  }
  return young;
}

bool GuestRuntime::test_and_clear_young(VirtAddr va) {
  Section section(*this);
  const Region* r = space().find(va);
  if (!r || !r->obj) return false;
  auto it = r->obj->pages.find(r->page_index(va));
  return it != r->obj->pages.end() && it->second.state == PageState::kResident && test_and_clear(it->second);
}

void GuestRuntime::unmap_everywhere(Page& page, bool& dirty) {
  for (const PageMapping& m : page.maps) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    if (!slot) continue;
    dirty = dirty || (slot->entry & pte::kD);
    m.proc->as->table().update(*slot, 0);
    mmu_.sfence(m.va, m.proc->as->asid());
  }
  page.maps.clear();
}

Page* GuestRuntime::find_clean_victim() {
  for (Page* p : frame_owner_) {
    if (!p || !policy_->contains(*p)) continue;
    bool dirty = p->dirty;
    for (const PageMapping& m : p->maps) {
      auto slot = m.proc->as->table().find_leaf(m.va);
      dirty = dirty || (slot && (slot->entry & pte::kD));
    }
    if (!dirty && (!p->slot || p->swap_valid)) return p;
  }
  return nullptr;
}

bool GuestRuntime::reclaim_one(bool direct) {
  Page* victim = policy_->victim(*this);
  if (!victim) return false;
  if (!evict(*victim)) {
    // Swap is full (or failed) for that dirty page: a clean page can still go.
    victim = find_clean_victim();
    if (!victim || !evict(*victim)) return false;
  }
  ++(direct ? stats_.reclaim_direct : stats_.reclaim_background);
  return true;
}

bool GuestRuntime::evict(Page& page) {
  // Is the frame different from its backing copy (swap slot, or zeros)?
  bool dirty = page.dirty || (page.slot && !page.swap_valid);
  for (const PageMapping& m : page.maps) {
    auto slot = m.proc->as->table().find_leaf(m.va);
    dirty = dirty || (slot && (slot->entry & pte::kD));
  }
  std::optional<uint64_t> new_slot;
  if (dirty && !page.slot) {
    new_slot = swap_.alloc();
    if (!new_slot) return false;  // nowhere to put it: stays resident
  }
  policy_->remove(page);
  unmap_everywhere(page, dirty);

  uint64_t latency = 0;
  if (!dirty) {
    ++(page.slot ? stats_.swap_clean_drops : stats_.zero_drops);
  } else {
    if (new_slot) page.slot = new_slot;
    std::vector<uint8_t> buf(kPageSize);
    mem_.read(base_of(page.frame), buf.data(), kPageSize);
    if (!swap_.write(*page.slot, buf.data(), latency)) {
      make_resident(page, page.frame);  // device failed: keep it (mappings come back on the next touch)
      page.dirty = true;
      return false;
    }
    ++stats_.swap_outs;
    stats_.swap_cycles += latency;
    page.swap_valid = true;
  }
  page.dirty = false;
  release_user_frame(page.frame);
  page.state = page.slot ? PageState::kSwapped : PageState::kEmpty;
  add_io(latency);
  return true;
}

void GuestRuntime::free_page(Page& page) {
  bool dirty = false;
  unmap_everywhere(page, dirty);
  if (page.state == PageState::kResident) {
    policy_->remove(page);
    release_user_frame(page.frame);
  }
  if (page.slot) swap_.release(*page.slot);
  page.slot.reset();
  page.swap_valid = false;
  page.state = PageState::kEmpty;
}

void GuestRuntime::background_reclaim() {
  if (in_background_) return;
  in_background_ = true;
  ++stats_.kswapd_wakeups;
  while (frames_.free_count() < wm_.high) {
    Section section(*this);  // one page at a time: the CPU may run between pages
    if (!reclaim_one(false)) break;
  }
  in_background_ = false;
}

// ============================================================================
// OOM killer
// ============================================================================

uint64_t GuestRuntime::badness(const Process& p, uint64_t* rss_out, uint64_t* swap_out,
                               uint64_t* tables_out) const {
  uint64_t rss = 0, swap = 0;
  for (const auto& [start, r] : p.as->regions()) {
    if (!r.obj) continue;
    for (const auto& [index, page] : r.obj->pages) {
      if (index < r.obj_offset || index >= r.obj_offset + r.length / kPageSize) continue;
      if (page.state == PageState::kResident) {
        rss += std::count_if(page.maps.begin(), page.maps.end(),
                             [&](const PageMapping& m) { return m.proc == &p; });
      } else if (page.state == PageState::kSwapped) {
        ++swap;
      }
    }
  }
  const uint64_t tables = p.as->table().table_frames().size();
  if (rss_out) *rss_out = rss;
  if (swap_out) *swap_out = swap;
  if (tables_out) *tables_out = tables;
  // As Linux's oom_badness(): pages held, adjusted by oom_score_adj in
  // thousandths of all memory (RAM plus swap).
  const int64_t total = int64_t(frames_.total() + swap_.total());
  const int64_t points = int64_t(rss + swap + tables) + int64_t(p.oom_score_adj) * total / 1000;
  return uint64_t(std::max<int64_t>(points, 1));
}

bool GuestRuntime::oom_kill(Process& requester) {
  Process* victim = nullptr;
  uint64_t worst = 0;
  for (auto& p : procs_) {
    if (!p->alive || p->oom_score_adj == -1000) continue;
    const uint64_t b = badness(*p, nullptr, nullptr, nullptr);
    if (b > worst) worst = b, victim = p.get();
  }
  if (!victim) return false;
  OomKill k{victim->pid, victim->name, 0, 0, 0, 0, victim->oom_score_adj};
  k.badness = badness(*victim, &k.rss, &k.swap_entries, &k.table_pages);
  oom_log_.push_back(k);
  ++stats_.oom_kills;
  const bool self = victim == &requester;
  exit_process(*victim, "killed by the OOM killer (badness " + std::to_string(k.badness) + ")");
  if (!self && current_ != &requester) switch_to(requester);
  return true;
}

void GuestRuntime::corrupt_swap_slot_for_test(uint64_t slot) {
  std::vector<uint8_t> buf(kPageSize);
  uint64_t latency = 0;
  if (swap_.read(slot, buf.data(), latency) == SwapSpace::ReadResult::kIoError) return;
  buf[123] ^= 0x5a;
  // Write the bytes behind the CRC's back, as a failing disk would.
  svc_.swap->write_page(slot, buf.data(), latency);
}

}  // namespace vmsim
