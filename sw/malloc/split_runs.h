// split_runs.h: our departure for runs of one small size split from free
// chunks. glibc splits a free chunk once per request: a program that asks
// for many blocks of one size while the free space lies in large chunks (a
// merged run of freed blocks, the last remainder) pays malloc's slow path
// (the unsorted bin, the bin map, a split, a relinking) on every request.
//
// This record watches the last remainder's splits (they serve small
// requests). Once kRun of them in a row, this one included, were of one
// tcache size, the program is taking a run of that size: this split and each
// later one for it takes as many more chunks as the size's tcache stack has
// room for, in one relinking, so the next requests take the fast path.
//
// Why kRun: stashed chunks are held for their size and nothing else, and
// while a stack holds them, frees of the size go to the bins instead, so the
// heap takes another path than glibc's. On the traces the rule was chosen on
// (docs/malloc.md) every other run length tried (2 to 6, and 8) put some trace's
// heap below glibc's; from the 7th split in a row (a tcache stack's worth),
// none. A split of another size ends the run.
#pragma once

#include <cstdint>

namespace vmsim::pm {

class SplitRuns {
 public:
  static constexpr unsigned kRun = 7;  // splits of one size in a row before splits take runs

  // A split is about to serve a small request of nb bytes: whether it may
  // take a run of them.
  bool on_split(uint64_t nb) {
    if (nb != size_) {
      size_ = nb;
      length_ = 0;
    }
    if (length_ < kRun) ++length_;
    return length_ >= kRun;
  }

 private:
  uint64_t size_ = 0;    // the size the last split served
  unsigned length_ = 0;  // how many splits in a row served it (counted up to kRun)
};

}  // namespace vmsim::pm
