#include "testbench/analysis/fast_replay.h"

#include <algorithm>
#include <vector>

#include "testbench/check/tlb_model.h"

namespace vmsim {

namespace {

constexpr uint16_t kAsid = 1;  // one address space: its number changes nothing
constexpr uint64_t kFlags = pte::kR | pte::kW | pte::kX | pte::kU | pte::kA | pte::kD;

// The cycles and PTE reads of a translation, as the RTL spends them.
struct Cost {
  uint64_t l1_hit, l2_hit, walk;
  unsigned reads;
};

Cost cost_of(const FastReplayConfig& c) {
  const uint64_t l2 = c.tlb.l2 ? c.tlb.l2_latency : 0;
  const unsigned reads = levels_of(c.mode) - c.page_level;
  return {1, 1 + l2, 2 + l2 + reads * (c.mem_latency_cycles + 2), reads};
}

void count_walk(const Cost& cost, unsigned page_level, FastReplayResult& r) {
  ++r.mmu.walks;
  r.mmu.walk_cycles += cost.walk;
  ++r.mmu.walk_latency[std::min<uint64_t>(cost.walk, RtlMmuStats::kWalkLatencyBuckets - 1)];
  r.mmu.pte_reads += cost.reads;
  ++r.check.walks_by_leaf_level[page_level];
  r.cycles += cost.walk;
}

}  // namespace

FastReplayResult fast_replay(TraceReader& reader, const FastReplayConfig& cfg, uint64_t pages_premapped) {
  FastReplayResult r;
  const std::unique_ptr<TlbOrganization> tlb = make_vmsim_tlb(cfg.tlb);
  const Cost cost = cost_of(cfg);
  const unsigned page_shift = unsigned(kPageShift) + (cfg.page_level ? (is_sv32(cfg.mode) ? 10 : 9) : 0);
  const TranslationControl ctl{false, false, true};
  std::vector<TraceRef> block(1 << 14);
  while (const size_t k = reader.read(block.data(), block.size())) {
    for (size_t i = 0; i < k; ++i) {
      const TraceRef& ref = block[i];
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
      // The page's translation: any frame will do, the same for every visit.
      const uint64_t page_ppn = (va >> page_shift) << (page_shift - kPageShift);
      tlb->refill(CachedTranslation{cfg.mode, vpn, cfg.page_level, false, kAsid, false, page_ppn, kFlags});
      count_walk(cost, cfg.page_level, r);
    }
    for (size_t i = 0; i < k; ++i) {
      const Access acc = block[i].access;
      r.loads += acc == Access::kLoad;
      r.stores += acc == Access::kStore;
      r.fetches += acc == Access::kFetch;
    }
  }
  // The fences the RTL replay's kernel makes: one at boot (before the run's
  // cycles start), and one per page the premap maps, a cycle each.
  r.mmu.sfences = 1 + pages_premapped;
  r.mmu.satp_writes = 1;
  r.cycles += pages_premapped;
  r.error = reader.error();
  r.mmu.translations = r.check.by_access[0] + r.check.by_access[1] + r.check.by_access[2];
  r.check.translations = r.mmu.translations;
  r.tlb = tlb->counts();
  return r;
}

}  // namespace vmsim
