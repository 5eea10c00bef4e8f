// top_batches.h: our departure for binary alternation. When a program
// allocates small and much larger blocks in lockstep (small, large, small,
// large, ...) from top, ptmalloc lays them out interleaved; freeing the large
// ones leaves holes each fenced by small blocks, and nothing larger than one
// of them fits again (CS:APP's binary traces: utilization 0.54, glibc's too).
//
// This record watches the chunks carved from top. Once a fast-bin size has
// been carved kStreak times in a row, each time right after a chunk at least
// kRatio times its size and within a few carves of its own previous carve,
// the next carve of it takes kSpares more of that size at once, onto its
// fast bin. Small chunks then come in runs, the large ones lie next to each
// other, and their holes merge into room for larger blocks.
//
// Why so narrow a trigger: any change of layout moves the heap onto another
// path, better or worse; on the traces measured (docs/malloc.md) every
// looser rule (any repeated small size; sizes less than twice apart; no gap
// rule) lost to glibc somewhere, and this one changes no trace but those in
// lockstep. The spares go onto the fast bin; the next request of the size
// takes one and glibc's stashing moves the rest to the tcache, so they are
// held as any freed chunk of that size would be. The heap never grows for
// them: only room top already has is used.
#pragma once

#include <array>
#include <cstdint>

#include "sw/malloc/bin_index.h"

namespace vmsim::pm {

class TopBatches {
 public:
  static constexpr unsigned kStreak = 8;  // interleaved carves seen before the first batch
  static constexpr unsigned kSpares = 7;  // chunks a batch adds (as glibc's tcache count)
  static constexpr uint64_t kRatio = 2;   // "much larger": the carve before is at least this many times nb
  static constexpr uint64_t kGap = 2;     // carves allowed between two of a size, per chunk it last got

  // A chunk of nb bytes was carved from top; max_fast is the fast bins' limit.
  // How many spares of nb to carve now (0, or kSpares).
  unsigned on_carve(uint64_t nb, uint64_t max_fast) {
    const uint64_t before = last_nb_;
    last_nb_ = nb;
    ++carves_;
    if (nb > max_fast) return 0;
    Size& s = sizes_[fastbin_index(nb)];
    const uint64_t gap = carves_ - s.last;
    const bool interleaved = before >= kRatio * nb && gap <= kGap * (1 + s.given);
    s.last = carves_;
    s.given = 0;
    if (!interleaved) {
      s.streak = 0;
      return 0;
    }
    return ++s.streak > kStreak ? kSpares : 0;
  }
  // A phase of the program has ended: a large request consolidated the fast
  // bins (unused spares merged back), or a free made a chunk of 64 KiB or
  // more. Every streak starts again, so a program that meets the trigger once
  // a phase does not pay for spares it never uses, phase after phase. (The
  // consolidation before brk grows the heap is no such sign: the lockstep
  // runs on.)
  void restart() {
    for (Size& s : sizes_) s.streak = 0;
  }
  // How many spares the carve of nb really got (top may have had less room).
  void gave(uint64_t nb, unsigned n) { sizes_[fastbin_index(nb)].given = n; }

 private:
  struct Size {
    uint64_t last = 0;  // carves_ at this size's last carve
    unsigned streak = 0, given = 0;
  };
  uint64_t last_nb_ = 0, carves_ = 0;
  std::array<Size, kNFastBins> sizes_{};
};

}  // namespace vmsim::pm
