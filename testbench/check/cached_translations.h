// cached_translations.h: what an MMU may answer from a cache.
//
// The spec lets an MMU cache any translation a walk produced, and use it
// until an sfence.vma that covers it: so until software fences, an answer
// may legally come from a PTE that memory no longer holds (software changed
// it without a fence, or mapped a VA globally in one address space and
// privately in another). The checker must accept those answers, and only
// those. This set holds every translation the spec walk produced since the
// last fence that covers it; what a request may get from one is today's
// privilege, SUM, MXR and D rules applied to the cached PTE.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "testbench/check/spec_walk.h"

namespace vmsim {

struct CachedTranslation {
  PagingMode mode;
  uint64_t vpn;    // of the request that made it
  unsigned level;  // page size: 0 = 4 KiB, 1 = 2 MiB (4 MiB in Sv32), ...
  bool napot;      // a 64 KiB Svnapot page (level 0)
  uint16_t asid;
  bool global;
  uint64_t ppn;    // as the leaf PTE gave it
  uint64_t flags;  // the leaf's R/W/X/U/D

  // From a successful spec walk.
  static CachedTranslation from(const RefResult& r, PagingMode mode, uint64_t vpn, uint16_t asid);
  bool covers(uint64_t vpn, uint16_t asid, PagingMode mode) const;
  // Whether sfence.vma with these operands (none: all) removes it; an ASID
  // fence spares a global translation.
  bool fenced_by(std::optional<uint64_t> vpn, std::optional<uint16_t> asid) const;
  // What the request gets from this translation, under today's rules:
  // the address; a page fault when the cached PTE denies the access (or, under
  // Svade, a store finds D clear); nullopt when the request must walk (a store
  // to a clean page under Svadu, where the walk sets D).
  std::optional<Translation> answer(VirtAddr va, Access access, Priv priv,
                                    const TranslationControl& ctl) const;
  bool operator==(const CachedTranslation&) const = default;
};

class CachedTranslations {
 public:
  explicit CachedTranslations(unsigned xlen) : xlen_(xlen) {}

  void record(const CachedTranslation& t);
  // sfence.vma: no VPN and no ASID removes everything; an ASID spares globals.
  void fence(std::optional<uint64_t> vpn, std::optional<uint16_t> asid);
  // Whether a translation an MMU may still cache gives exactly `got`.
  bool could_answer(const Translation& got, VirtAddr va, Access access, Priv priv,
                    const TranslationControl& ctl, PagingMode mode, uint16_t asid) const;
  size_t size() const;

 private:
  // Translations are kept by page: the VPN bits above the page's offset,
  // with its size.
  uint64_t key(uint64_t vpn, unsigned level, bool napot) const;

  unsigned xlen_;
  std::unordered_map<uint64_t, std::vector<CachedTranslation>> by_page_;
  // The last translation recorded: runs of requests to one page record it
  // once (the map is not consulted again until another comes, or a fence).
  std::optional<CachedTranslation> last_;
};

}  // namespace vmsim
