// split_runs.h: our departure for runs of one small size split from free
// chunks. glibc splits a free chunk once per request: a program that asks
// for many blocks of one size while the free space lies in large chunks (a
// merged run of freed blocks, the last remainder) pays malloc's slow path
// (the unsorted bin, the bin map, a split, a relinking) on every request.
//
// This record watches the splits that serve small requests (the last
// remainder's and the bin map's). Once kRun of them in a row were of one
// tcache size, the program is taking a run of that size; each later split
// for it takes as many chunks as the size's tcache stack has room for, in
// one relinking, so the next requests take the tcache's fast path.
//
// Why kRun and no less: stashed chunks are held for their size and nothing
// else, and on the traces measured (docs/malloc.md) a shorter run (1 to 4
// splits) moved some heaps onto a layout that used more memory than glibc's
// at their peak; from 6 on, no trace measured used more than without the
// rule, and some used less. A split of another size ends the run.
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
