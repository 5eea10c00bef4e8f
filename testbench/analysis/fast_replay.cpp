#include "testbench/analysis/fast_replay.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "testbench/check/mmu_figures.h"
#include "testbench/check/tlb_model.h"
#include "testbench/workloads/phases.h"

namespace vmsim {

namespace {

constexpr uint16_t kAsid = 1;  // one address space: its number changes nothing
constexpr uint64_t kFlags = pte::kR | pte::kW | pte::kX | pte::kU | pte::kA | pte::kD;

// The cycles of a translation, as the RTL spends them: a walk costs
// walk_base plus per_read for each PTE it reads.
struct Cost {
  uint64_t l1_hit, l2_hit, walk_base, per_read;
};

Cost cost_of(const FastReplayConfig& c) {
  const uint64_t l2 = c.tlb.l2 ? c.tlb.l2_latency : 0;
  return {1, 1 + l2, 2 + l2, c.mem_latency_cycles + 2};
}

void count_walk(const Cost& cost, unsigned reads, unsigned page_level, FastReplayResult& r) {
  const uint64_t cycles = cost.walk_base + reads * cost.per_read;
  ++r.mmu.walks;
  r.mmu.walk_cycles += cycles;
  ++r.mmu.walk_latency[std::min<uint64_t>(cycles, RtlMmuStats::kWalkLatencyBuckets - 1)];
  ++r.mmu.walks_by_depth[std::min<size_t>(reads, RtlMmuStats::kWalkDepths - 1)];
  // Its walker is busy from the cycle after the walk starts (after the L1,
  // or the L2 latency) until it hands the leaf over, the cycle before the
  // response: one cycle more than its reads.
  const uint64_t busy = 1 + reads * cost.per_read;
  r.mmu.busy_walker_cycles += busy;
  r.mmu.cycles_by_walkers_busy[1] += busy;
  r.mmu.pte_reads += reads;
  ++r.check.walks_by_leaf_level[page_level];
  r.cycles += cycles;
}

// A walk down to the page's leaf: from the root, or below the pointer a
// page-walk cache holds; each pointer it follows fills its level's cache.
// Returns the PTEs it reads. (Any table number will do for a pointer: the
// premapped tables are never changed, and only the tags decide a hit.)
unsigned walk(TlbOrganization& tlb, uint64_t vpn, PagingMode mode, unsigned page_level) {
  unsigned from = levels_of(mode);  // the walk reads levels from - 1 down to page_level
  if (const std::optional<WalkStart> s = tlb.walk_start(vpn, kAsid, mode)) from = s->level;
  for (unsigned l = from - 1; l > page_level; --l) {
    tlb.pointer_followed(vpn, kAsid, mode, l, vpn >> (idx_bits_of(mode) * l), false);
  }
  return from - page_level;
}

// The replay's own totals, for --warmup and --interval (workloads/phases.h).
class FastProbe final : public MmuProbe {
 public:
  FastProbe(FastReplayResult& r, const TlbOrganization& tlb) : r_(r), tlb_(tlb) {}
  MmuCounters now() const override {
    return {r_.mmu.translations, r_.mmu.tlb_hits,    r_.mmu.l2_hits,
            r_.mmu.walks,        r_.mmu.walk_cycles, r_.cycles};
  }
  void end_warmup() override { baseline = MmuFigures{r_.mmu, r_.check, tlb_.counts()}; }
  std::optional<MmuFigures> baseline;

 private:
  FastReplayResult& r_;
  const TlbOrganization& tlb_;
};

// The totals once the trace is read: by access type, per TLB, the premap's
// fences and cycles, and the warm-up taken off.
void finish(FastReplayResult& r, const TlbOrganization& tlb, uint64_t pages,
            std::optional<MmuFigures>& baseline) {
  // The trace's own counts are of every reference, warm-up included: one
  // translation each, by access type.
  r.loads = r.check.by_access[unsigned(Access::kLoad)];
  r.stores = r.check.by_access[unsigned(Access::kStore)];
  r.fetches = r.check.by_access[unsigned(Access::kFetch)];
  r.tlb = tlb.counts();
  // The fences the RTL replay's kernel makes before the first reference: one
  // at boot (before the run's cycles start), and one per page the premap
  // maps, a cycle each. A warm-up takes the fences off, as on the RTL.
  r.pages_premapped = pages;
  r.mmu.sfences += 1 + r.pages_premapped;
  r.cycles += r.pages_premapped;
  if (baseline) {  // the figures count after warm-up, as on the RTL
    baseline->mmu.sfences += 1 + r.pages_premapped;
    MmuFigures f{r.mmu, r.check, r.tlb};
    subtract_baseline(f, *baseline);
    r.mmu = f.mmu;
    r.check = f.check;
    r.tlb = *f.tlb;
  }
  r.check.translations = r.mmu.translations;
}

}  // namespace

FastReplayResult fast_replay(TraceReader& reader, const FastReplayConfig& cfg,
                             const PhaseOptions& phase_options, WorkloadResult& report) {
  FastReplayResult r;
  const std::unique_ptr<TlbOrganization> tlb = make_vmsim_tlb(cfg.tlb);
  const Cost cost = cost_of(cfg);
  const unsigned page_shift = unsigned(kPageShift) + (cfg.page_level ? (is_sv32(cfg.mode) ? 10 : 9) : 0);
  const TranslationControl ctl{false, false, true};
  r.mmu.satp_writes = 1;
  // The pages the premap maps are those the trace touches: each one's first
  // reference walks (its page is in no TLB yet), so they are counted there,
  // without a pass of their own over the trace.
  std::unordered_set<uint64_t> pages;
  FastProbe probe(r, *tlb);
  Phases phases(phase_options, &probe, [] { return uint64_t{0}; });  // no kernel: no faults
  std::vector<TraceRef> block(1 << 14);
  uint64_t n = 0;
  while (const size_t k = reader.read(block.data(), block.size())) {
    for (size_t i = 0; i < k; ++i, ++n) {
      phases.before(n);
      const TraceRef& ref = block[i];
      ++r.mmu.translations;
      const uint64_t va = ref.access == Access::kFetch ? ref.addr & ~uint64_t{3} : ref.addr;
      const uint64_t vpn = va >> kPageShift;
      const unsigned a = unsigned(ref.access);
      ++r.check.by_access[a];
      const TlbLookup found = tlb->lookup(vpn, kAsid, cfg.mode, VirtAddr{va}, ref.access, Priv::kUser, ctl);
      if (found.hit) {
        ++r.mmu.tlb_hits;
        ++r.check.hits_by_access[a];
        r.mmu.l2_hits += found.l2;
        r.cycles += found.l2 ? cost.l2_hit : cost.l1_hit;
        continue;
      }
      count_walk(cost, walk(*tlb, vpn, cfg.mode, cfg.page_level), cfg.page_level, r);
      pages.insert(va >> page_shift);
      // The page's translation: any frame will do, the same for every visit.
      const uint64_t page_ppn = (va >> page_shift) << (page_shift - kPageShift);
      tlb->refill(CachedTranslation{cfg.mode, vpn, cfg.page_level, false, kAsid, false, page_ppn, kFlags});
    }
  }
  phases.finish(n);
  phases.report(report);
  r.error = reader.error();
  finish(r, *tlb, pages.size(), probe.baseline);
  return r;
}

}  // namespace vmsim
