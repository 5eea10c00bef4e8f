// tlb_curve.h: miss counts of fully associative TLBs over a page reference
// string, without simulating one: every LRU size in one pass (stack
// distances, Mattson et al.), and Belady's OPT bound for a given size.
//
// A reference is a page number (a 4 KiB VPN). A TLB of `entries` holds that
// many pages; a miss is a reference to a page it does not hold. Cold misses
// (first references) count in every size. These are the curves a TLB-sizing
// study plots; the RTL's own fully associative LRU TLB gives the same counts
// (tests/sw/test_tlb_curve.cpp checks it against the reference's model).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace vmsim {

// Stack distances of a reference string fed one page at a time: the misses
// of every fully associative LRU size at once. O(log D) per reference and
// memory linear in the distinct pages D, not in the trace's length.
class LruStackDistances {
 public:
  void access(uint64_t page);
  // Misses of an LRU TLB of each size in `entries` over the pages so far.
  std::vector<uint64_t> misses(const std::vector<unsigned>& entries) const;
  uint64_t references() const { return references_; }
  uint64_t distinct() const { return last_.size(); }

 private:
  void compact();
  // marks_: a Fenwick tree over time slots, 1 where a page was last referenced.
  std::vector<int64_t> marks_ = std::vector<int64_t>(1, 0);
  std::vector<uint64_t> owner_;                // slot -> page referenced there (kFree: since re-referenced)
  std::unordered_map<uint64_t, size_t> last_;  // page -> slot of its latest reference
  std::vector<uint64_t> by_distance_;          // references with each stack distance
  uint64_t cold_ = 0, references_ = 0;
};

// LRU misses for each size in `entries`, in one pass over `pages`.
std::vector<uint64_t> lru_misses(const std::vector<uint64_t>& pages, const std::vector<unsigned>& entries);

// Belady's OPT (evict the page referenced furthest in the future) for one
// size: the fewest misses any replacement policy can have. O(N log entries).
uint64_t opt_misses(const std::vector<uint64_t>& pages, unsigned entries);

}  // namespace vmsim
