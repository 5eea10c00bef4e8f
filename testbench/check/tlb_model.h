// tlb_model.h: the hit/miss behaviour of a TLB organization the reference
// knows, so that the checker can compare a device's hit flag with it.
//
// A model never decides a translation's result. It holds translations the
// spec walk produced (CachedTranslation) and says which of them, if any,
// serves a request; the checker compares the device's answer with that
// translation's, and its hit flag with the prediction. A replacement bug
// then shows as a hit where the model predicts a miss, or the other way.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/device.h"
#include "testbench/check/cached_translations.h"

namespace vmsim {

// What a lookup found: the translation that serves the request (null: the
// device walks), and whether the L2 TLB served it.
struct TlbLookup {
  const CachedTranslation* hit = nullptr;
  bool l2 = false;
};

// One TLB's traffic: lookups that reached it, hits it served, refills that
// replaced a valid entry (not an update of the entry that hit).
struct TlbLevelCounts {
  uint64_t accesses = 0, hits = 0, evictions = 0;
  uint64_t misses() const { return accesses - hits; }
};

// Per TLB of the hierarchy: l1 (data, or every access when there is no l1i),
// l1i (fetches), l2 (after an L1 miss). A structure the organization lacks
// keeps present false.
struct TlbCounts {
  struct Level {
    bool present = false;
    TlbLevelCounts c;
  };
  Level l1, l1i, l2;
  // The page-walk caches, pwc[L - 1] for the pointers of level L: accesses
  // are the walks that looked it up (those of a mode with that level), hits
  // the walks that started from it (the lowest level that hit).
  std::array<Level, kPwcLevels> pwc;
  uint64_t evictions() const { return l1.c.evictions + l1i.c.evictions + l2.c.evictions; }
};

// Where a walk starts when a page-walk cache holds a pointer on its path:
// it reads level `level - 1` of the table at `table_ppn` first; `global` is
// the G bit seen on the path down to that pointer.
struct WalkStart {
  unsigned level;
  uint64_t table_ppn;
  bool global;
};

class TlbOrganization {
 public:
  virtual ~TlbOrganization() = default;
  virtual std::string name() const = 0;
  // The translation that serves this request, if one is cached and usable;
  // otherwise the device walks. Called once per request (it updates the
  // replacement state), only for canonical addresses in a translating mode.
  virtual TlbLookup lookup(uint64_t vpn, uint16_t asid, PagingMode mode, VirtAddr va, Access access,
                           Priv priv, const TranslationControl& ctl) = 0;
  // After the walk of the last lookup succeeded: the new translation.
  virtual void refill(const CachedTranslation& t) = 0;
  virtual void fence(std::optional<uint64_t> vpn, std::optional<uint16_t> asid) = 0;
  virtual const TlbCounts& counts() const = 0;
  // Page-walk caches (none by default). walk_start: when a walk begins
  // (after every TLB missed, for a canonical address), the cached pointer it
  // starts below, if any (looks up every level the mode has, touches the one
  // used). pointer_followed: the walk followed a pointer PTE at `level`,
  // naming the table at `table_ppn`, with G seen on the path down to it.
  virtual std::optional<WalkStart> walk_start(uint64_t vpn, uint16_t asid, PagingMode mode) {
    (void)vpn, (void)asid, (void)mode;
    return std::nullopt;
  }
  virtual void pointer_followed(uint64_t vpn, uint16_t asid, PagingMode mode, unsigned level,
                                uint64_t table_ppn, bool global) {
    (void)vpn, (void)asid, (void)mode, (void)level, (void)table_ppn, (void)global;
  }
};

// vmsim's TLB hierarchy, as rtl/mmu_tlb.sv, rtl/mmu_tlb_repl.sv and
// rtl/mmu_top.sv document it. Each TLB: a sets x ways array (4 KiB pages,
// set = VPN's low bits) with its replacement policy, and a fully associative
// tree-PLRU superpage array (or, without one, every size in a fully
// associative set array). The lowest matching entry wins, set array first; a
// hit is used only when its rights allow the access and, for a store, D is
// set, otherwise the walk's leaf overwrites that entry if it belongs to the
// same array; a miss fills the first invalid way, else the policy's victim;
// faults are never cached. Fetches use the L1 instruction TLB if there is
// one; an L1 miss (or unusable hit) looks up the L2, whose usable hit fills
// that L1; a walk fills that L1 and the L2; a fence flushes all of them.
// Page-walk caches (rtl/mmu_ptw.sv): one fully associative array per level
// of pointers, tagged like a superpage of that level; the walk starts below
// the lowest level that holds its pointer, and every pointer it follows fills
// its level's array; fences flush them by the TLB's rules.
std::unique_ptr<TlbOrganization> make_vmsim_tlb(const TlbHierarchy& hierarchy);

}  // namespace vmsim
