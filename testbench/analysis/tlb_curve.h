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

#include <cstdint>
#include <vector>

namespace vmsim {

// LRU misses for each size in `entries`, in one pass over `pages`:
// O(N log N) time, memory linear in the trace and its distinct pages.
std::vector<uint64_t> lru_misses(const std::vector<uint64_t>& pages, const std::vector<unsigned>& entries);

// Belady's OPT (evict the page referenced furthest in the future) for one
// size: the fewest misses any replacement policy can have. O(N log entries).
uint64_t opt_misses(const std::vector<uint64_t>& pages, unsigned entries);

}  // namespace vmsim
