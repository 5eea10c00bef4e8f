// Dueling: two rankings of pages compete on shadow caches, and reclaim
// follows whichever would have faulted least lately (set dueling, as in
// Qureshi et al.'s DIP, over an A-bit scan, as in MGLRU's aging).
//
// What it sees. At each victim request, and every 8192 guest accesses once
// user pages fill half of memory (a timer, as a kernel ages pages in the
// background; the kernel runs it, see Reclaimer::note_access), it tests and
// clears the A bit of every resident page (each test that finds A set
// fences, and the kernel counts both). A fault names its page. Between two
// faults every reference is either a hit on a resident page, which leaves A
// set, or a fault itself, so the scan plus the faults give the whole
// reference string at the granularity of "which interval between faults or
// timer ticks": no reference is lost, only the order of the hits inside one
// interval.
//
// From that it keeps, for every page it has seen recently:
//   last   the interval of its latest reference,
//   prev   the interval of the reference before that (-inf when none),
//   count  how many intervals it was referenced in,
//   seq    a counter value taken when it was last seen (orders a scan).
// The rankings (the smallest rank is evicted first):
//   frequency  (last, count, -seq)  LRU at interval granularity; inside one
//                                   interval, where the order is unknown,
//                                   the page referenced in fewer intervals
//                                   goes first: a page used often was most
//                                   likely also used late in the interval
//   lru-2      (prev, last, seq)    O'Neil's LRU-2: the older of the last
//                                   two references decides, so a page used
//                                   once goes before a page used twice
//                                   (loops, scans)
// Each ranking runs its own shadow cache of C pages (C: the most pages
// resident at any victim request) on the same observed references and counts
// the misses it would have taken, decayed by 0.99 per fault. The victim is
// the resident page of smallest rank under the ranking with the fewer
// decayed misses (a tie: frequency).
//
// The whole rule is in docs/runtime.md; scripts/paging_reference.py models it
// independently and tests/cli/check_paging_oracle.py holds vmsim to it.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "sw/policy/page_records.h"
#include "sw/policy/replacement_policy.h"

namespace vmsim {
namespace {

using PageKey = uintptr_t;  // a Page's address: stable while its object lives, never dereferenced here
using Rank = std::tuple<int64_t, int64_t, int64_t>;

constexpr int64_t kNever = std::numeric_limits<int64_t>::min() / 2;
constexpr double kDecay = 0.99;
constexpr uint64_t kAgingPeriod = 8192;
enum Ranking { kFrequency, kLru2, kRankings };

struct History {
  int64_t last = kNever, prev = kNever, count = 0, seq = 0;
  std::array<bool, kRankings> shadowed{};  // held by each shadow cache
  bool resident = false;
};

Rank rank(Ranking r, const History& h) {
  return r == kFrequency ? Rank{h.last, h.count, -h.seq} : Rank{h.prev, h.last, h.seq};
}

class DuelingPolicy final : public ReplacementPolicy {
 public:
  explicit DuelingPolicy(const PolicyArgs&) {}
  std::string_view name() const override { return "dueling"; }
  void insert(Page& p) override;
  void remove(Page& p) override;
  Page* victim(AccessedBits& bits) override;
  uint64_t aging_period() const override { return kAgingPeriod; }
  void age(AccessedBits& bits) override;
  size_t size() const override { return records_.size(); }
  bool contains(const Page& p) const override { return records_.holds(p); }

 private:
  struct Shadow {
    std::set<std::pair<Rank, PageKey>> pages;  // by rank, smallest first
    double misses = 0;
  };
  struct Record {
    size_t slot = 0;  // in resident_
  };

  void scan(AccessedBits& bits);
  void observe(PageKey k);
  void admit(Ranking r, PageKey k, History& h);
  void shrink(Ranking r, size_t to);
  void forget_if_unused(PageKey k);
  Ranking leader() const;

  PageRecords<Record> records_;
  std::vector<Page*> resident_;
  std::unordered_map<PageKey, History> history_;
  std::array<Shadow, kRankings> shadows_;
  int64_t interval_ = 0;  // faults seen
  int64_t seq_ = 0;
  int64_t looked_at_ = -1;  // the interval of the last victim request's look
  size_t capacity_ = 0;     // C
};

PageKey key_of(const Page& p) {
  return reinterpret_cast<PageKey>(&p);
}

// A reference to `k` in the current interval: update its history, then show
// it to every shadow cache.
void DuelingPolicy::observe(PageKey k) {
  History& h = history_[k];
  std::array<bool, kRankings> held = h.shadowed;
  for (int r = 0; r < kRankings; ++r) {
    if (held[r]) shadows_[r].pages.erase({rank(Ranking(r), h), k});
  }
  if (h.last != interval_) {
    ++h.count;
    h.prev = h.last;
    h.last = interval_;
  }
  h.seq = ++seq_;
  for (int r = 0; r < kRankings; ++r) {
    if (held[r]) {
      shadows_[r].pages.insert({rank(Ranking(r), h), k});
    } else {
      shadows_[r].misses += 1;
      admit(Ranking(r), k, h);
    }
  }
}

// A shadow miss: the page enters, and the shadow evicts its smallest rank
// when it holds more than C.
void DuelingPolicy::admit(Ranking r, PageKey k, History& h) {
  h.shadowed[r] = true;
  shadows_[r].pages.insert({rank(r, h), k});
  if (capacity_ > 0) shrink(r, capacity_);
}

void DuelingPolicy::shrink(Ranking r, size_t to) {
  auto& pages = shadows_[r].pages;
  while (pages.size() > to) {
    const PageKey out = pages.begin()->second;
    pages.erase(pages.begin());
    history_[out].shadowed[r] = false;
    forget_if_unused(out);
  }
}

void DuelingPolicy::forget_if_unused(PageKey k) {
  auto it = history_.find(k);
  if (it == history_.end() || it->second.resident) return;
  for (bool held : it->second.shadowed) {
    if (held) return;
  }
  history_.erase(it);
}

Ranking DuelingPolicy::leader() const {
  return shadows_[kLru2].misses < shadows_[kFrequency].misses ? kLru2 : kFrequency;
}

void DuelingPolicy::insert(Page& p) {
  records_.add(p).slot = resident_.size();
  resident_.push_back(&p);
  ++interval_;  // a fault ends an interval: the new page is its last reference
  const PageKey k = key_of(p);
  history_[k].resident = true;
  observe(k);
  for (Shadow& s : shadows_) s.misses *= kDecay;
}

void DuelingPolicy::remove(Page& p) {
  if (!records_.holds(p)) return;
  const size_t slot = records_.of(p).slot;
  records_.remove(p);
  resident_[slot] = resident_.back();
  if (resident_[slot] != &p) records_.of(*resident_[slot]).slot = slot;
  resident_.pop_back();
  const PageKey k = key_of(p);
  history_[k].resident = false;
  forget_if_unused(k);
}

// Every resident page's A, in the order the pages were last seen, so the hits
// of this interval keep their earlier relative order.
void DuelingPolicy::scan(AccessedBits& bits) {
  std::vector<Page*> order = resident_;
  std::sort(order.begin(), order.end(),
            [this](Page* a, Page* b) { return history_[key_of(*a)].seq < history_[key_of(*b)].seq; });
  for (Page* p : order) {
    if (bits.test_and_clear(*p)) observe(key_of(*p));
  }
}

// The timer: between faults that come seldom (memory is nearly large
// enough), an interval would span many references and say little about
// their order; the timer ends one and looks. It starts before the first
// victim request, so the first victims are ranked on more than one look.
// On the recorded programs of docs/runtime.md, against exact LRU (worst
// cell; mean of the 24 cells): 1024 1.009, 0.980; 2048 1.009, 0.971; 4096
// 1.004, 0.968; 8192 1.003, 0.965; 16384 1.013, 0.965; no timer 1.044. The
// worst cells are a page-in or two in hundreds, where memory is roomy.
void DuelingPolicy::age(AccessedBits& bits) {
  ++interval_;
  scan(bits);
}

Page* DuelingPolicy::victim(AccessedBits& bits) {
  if (resident_.empty()) return nullptr;
  if (resident_.size() > capacity_) {
    capacity_ = resident_.size();
    for (int r = 0; r < kRankings; ++r) shrink(Ranking(r), capacity_);
  }
  // A victim request with no fault since the last one's look skips it: the
  // A bits it would find set stay set for the next look, so no reference is
  // lost, and a batch of evictions (kswapd's) costs one look.
  if (interval_ != looked_at_) scan(bits);
  looked_at_ = interval_;
  const Ranking by = leader();
  Page* best = nullptr;
  Rank best_rank{};
  for (Page* p : resident_) {
    const Rank r = rank(by, history_[key_of(*p)]);
    if (!best || r < best_rank) {
      best = p;
      best_rank = r;
    }
  }
  return best;
}

}  // namespace

VMSIM_REGISTER_POLICY(DuelingPolicy, "dueling",
                      "interval LRU with a frequency tie-break and LRU-2 on shadow caches from A-bit looks; "
                      "follows the one faulting least (the default)");

}  // namespace vmsim
