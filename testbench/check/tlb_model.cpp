#include "testbench/check/tlb_model.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace vmsim {

namespace {

// One array's replacement state, as rtl/mmu_tlb_repl.sv keeps it.
class Replacement {
 public:
  Replacement(unsigned sets, unsigned ways, TlbPolicy policy)
      : ways_(ways), levels_(unsigned(std::countr_zero(ways))), policy_(policy) {
    if (policy == TlbPolicy::kPlru && ways <= 64) {
      // A set's tree in one word; touching way w sets the bits on its path
      // to point away from it: one masked write (the fast mode's hot path).
      word_tree_.assign(sets, 0);
      for (unsigned w = 0; w < ways; ++w) {
        uint64_t mask = 0, value = 0;
        for (unsigned l = 0, node = 0; l < levels_; ++l) {
          const unsigned b = (w >> (levels_ - 1 - l)) & 1;
          mask |= uint64_t{1} << node;
          value |= uint64_t(!b) << node;
          node = 2 * node + 1 + b;
        }
        path_.push_back({mask, value});
      }
    } else if (policy == TlbPolicy::kPlru) {
      tree_.assign(size_t(sets) * (ways > 1 ? ways - 1 : 1), false);
    }
    if (policy == TlbPolicy::kLru) {
      age_.resize(size_t(sets) * ways);
      for (size_t i = 0; i < age_.size(); ++i) age_[i] = unsigned(i % ways);  // reset: age(w) = w
    }
    if (policy == TlbPolicy::kFifo) ptr_.assign(sets, 0);
  }
  unsigned victim(unsigned set) const {
    if (ways_ == 1) return 0;
    switch (policy_) {
      case TlbPolicy::kPlru: {
        unsigned node = 0, way = 0;
        for (unsigned l = 0; l < levels_; ++l) {
          const unsigned b = plru_bit(set, node);
          way = (way << 1) | b;
          node = 2 * node + 1 + b;
        }
        return way;
      }
      case TlbPolicy::kLru:
        for (unsigned w = 0; w < ways_; ++w) {
          if (age_[set * ways_ + w] == ways_ - 1) return w;
        }
        return 0;
      case TlbPolicy::kFifo:
        return ptr_[set];
      case TlbPolicy::kRandom:
        return lfsr_ & (ways_ - 1);
    }
    return 0;
  }
  void touch(unsigned set, unsigned way) {
    if (ways_ == 1) return;
    if (policy_ == TlbPolicy::kPlru && !word_tree_.empty()) {
      word_tree_[set] = (word_tree_[set] & ~path_[way].mask) | path_[way].value;
    } else if (policy_ == TlbPolicy::kPlru) {
      unsigned node = 0;
      for (unsigned l = 0; l < levels_; ++l) {
        const unsigned b = (way >> (levels_ - 1 - l)) & 1;
        tree_[set * (ways_ - 1) + node] = !b;  // point away from the used half
        node = 2 * node + 1 + b;
      }
    } else if (policy_ == TlbPolicy::kLru) {
      const unsigned old = age_[set * ways_ + way];
      for (unsigned w = 0; w < ways_; ++w) {
        if (age_[set * ways_ + w] < old) ++age_[set * ways_ + w];
      }
      age_[set * ways_ + way] = 0;
    }
  }
  void evicted(unsigned set) {  // a refill replaced victim(set)
    if (ways_ == 1) return;
    if (policy_ == TlbPolicy::kFifo) ptr_[set] = (ptr_[set] + 1) & (ways_ - 1);
    if (policy_ == TlbPolicy::kRandom) {
      const unsigned bit = ((lfsr_ >> 15) ^ (lfsr_ >> 13) ^ (lfsr_ >> 12) ^ (lfsr_ >> 10)) & 1;
      lfsr_ = uint16_t((lfsr_ << 1) | bit);
    }
  }

 private:
  unsigned plru_bit(unsigned set, unsigned node) const {
    return word_tree_.empty() ? unsigned(tree_[set * (ways_ - 1) + node])
                              : unsigned(word_tree_[set] >> node) & 1;
  }
  struct Path {
    uint64_t mask, value;
  };

  unsigned ways_, levels_;
  TlbPolicy policy_;
  std::vector<bool> tree_;           // PLRU: per set, root at 0, children 2n+1 / 2n+2
  std::vector<uint64_t> word_tree_;  // PLRU with up to 64 ways: the same tree, a word per set
  std::vector<Path> path_;           // per way: the tree bits a touch writes, and their values
  std::vector<unsigned> age_;        // LRU: per way, 0 the newest
  std::vector<unsigned> ptr_;        // FIFO: per set
  uint16_t lfsr_ = 0xACE1;           // random: x^16 + x^14 + x^13 + x^11 + 1
};

// One TLB of vmsim's (rtl/mmu_tlb.sv): entry s*ways + w of the set array,
// then the superpage array at sets*ways + j.
class VmsimTlb {
 public:
  explicit VmsimTlb(const TlbGeometry& g)
      : g_(g),
        entries_(g.entries()),
        tag_(g.entries(), 0),
        care_(g.entries(), 0),
        asid_(g.entries(), 0),
        live_(g.entries(), 0),
        repl_(g.sets, g.ways, g.policy),
        super_repl_(1, g.super_entries ? g.super_entries : 1, TlbPolicy::kPlru) {
    auto pow2 = [](unsigned n) { return n && std::has_single_bit(n); };
    if (!pow2(g.sets) || !pow2(g.ways) ||
        (g.super_entries && (g.super_entries < 2 || !pow2(g.super_entries))))
      throw std::invalid_argument("TLB sets, ways and superpage entries must be powers of two");
    if (g.sets > 1 && !g.super_entries)
      throw std::invalid_argument("a set-associative TLB needs a superpage array");
  }
  std::string name() const {
    std::string s =
        std::to_string(g_.sets) + "x" + std::to_string(g_.ways) + " " + std::string(to_string(g_.policy));
    if (g_.super_entries) s += " + " + std::to_string(g_.super_entries) + "-entry superpage PLRU";
    return s;
  }

  // The usable entry covering vpn, touched; null on a miss or when the entry
  // that matched does not allow the access (then a refill overwrites it).
  const CachedTranslation* lookup(uint64_t vpn, uint16_t asid, PagingMode mode, Access access, Priv priv,
                                  const TranslationControl& ctl) {
    ++counts_.accesses;
    if (memo_.valid && memo_.vpn == vpn && memo_.asid == asid && memo_.mode == mode) {
      hit_ = memo_.idx;  // the entries are as the last scan saw them: it would match the same one
    } else {
      // The lowest index wins: the set's ways, then the superpage array.
      hit_ = first_covering(set_of(vpn) * g_.ways, g_.ways, vpn, asid, mode);
      if (!hit_) hit_ = first_covering(set_entries(), g_.super_entries, vpn, asid, mode);
      if (!hit_) return nullptr;
      memo_ = {true, vpn, asid, mode, *hit_};
    }
    const CachedTranslation& e = *entries_[*hit_];
    const bool usable = SpecWalk::rights_allow(e.flags, access, priv, ctl) &&
                        (access != Access::kStore || (e.flags & pte::kD));
    if (!usable) return nullptr;  // the walk decides, and may overwrite this entry
    ++counts_.hits;
    touch(*hit_);
    return &e;
  }

  // As a page-walk cache: the entry covering vpn (a pointer has no rights to
  // ask), counted as an access; take() counts it as the hit the walk used.
  const CachedTranslation* probe(uint64_t vpn, uint16_t asid, PagingMode mode) {
    ++counts_.accesses;
    hit_ = first_covering(set_of(vpn) * g_.ways, g_.ways, vpn, asid, mode);
    return hit_ ? &*entries_[*hit_] : nullptr;
  }
  void take() {
    ++counts_.hits;
    touch(*hit_);
  }

  // After this TLB's last lookup missed: `t` from the walk or the next level.
  void refill(const CachedTranslation& t) {
    const bool super = in_super(t);
    const unsigned set = set_of(t.vpn);
    std::optional<unsigned> slot;
    if (hit_ && (*hit_ >= set_entries()) == super) slot = *hit_;  // overwrite the entry that hit
    const unsigned first = super ? set_entries() : set * g_.ways;
    const unsigned count = super ? g_.super_entries : g_.ways;
    for (unsigned i = first; i < first + count && !slot; ++i) {
      if (!entries_[i]) slot = i;  // a cold array fills without evicting
    }
    if (!slot) {
      ++counts_.evictions;
      if (super) {
        slot = set_entries() + super_repl_.victim(0);
      } else {
        slot = set * g_.ways + repl_.victim(set);
        repl_.evicted(set);
      }
    }
    memo_.valid = false;
    entries_[*slot] = t;
    care_[*slot] = ~leaf_offset_mask(t.mode, t.level, t.napot) & ((uint64_t{1} << 45) - 1);
    tag_[*slot] = t.vpn & care_[*slot];
    asid_[*slot] = t.asid;
    live_[*slot] = uint8_t(kLive | (t.global ? kGlobal : 0) | (unsigned(t.mode) << kModeShift));
    touch(*slot);
  }

  void fence(std::optional<uint64_t> vpn, std::optional<uint16_t> asid) {
    memo_.valid = false;
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i] && entries_[i]->fenced_by(vpn, asid)) {
        entries_[i].reset();
        live_[i] = 0;
      }
    }
  }
  const TlbLevelCounts& counts() const { return counts_; }

 private:
  unsigned set_entries() const { return g_.sets * g_.ways; }
  unsigned set_of(uint64_t vpn) const { return unsigned(vpn & (g_.sets - 1)); }
  bool in_super(const CachedTranslation& t) const { return g_.super_entries && (t.level > 0 || t.napot); }
  // The lowest of entries [first, first + count) that covers vpn: each 64
  // compared into a mask, then its lowest bit (the fast mode's inner loop).
  std::optional<unsigned> first_covering(unsigned first, unsigned count, uint64_t vpn, uint16_t asid,
                                         PagingMode mode) const {
    const uint8_t want = uint8_t(kLive | (unsigned(mode) << kModeShift));
    for (unsigned base = 0; base < count; base += 64) {
      const unsigned n = std::min(64u, count - base), at = first + base;
      const uint64_t *tag = tag_.data() + at, *care = care_.data() + at;
      const uint16_t* as = asid_.data() + at;
      const uint8_t* live = live_.data() + at;
      uint64_t hits = 0;
      for (unsigned w = 0; w < n; ++w) {
        const bool hit = (live[w] & ~kGlobal) == want && (vpn & care[w]) == tag[w] &&
                         ((live[w] & kGlobal) || as[w] == asid);
        hits |= uint64_t(hit) << w;
      }
      if (hits) return at + unsigned(std::countr_zero(hits));
    }
    return std::nullopt;
  }
  void touch(unsigned i) {
    if (i < set_entries()) {
      repl_.touch(i >> way_shift_, i & (g_.ways - 1));
    } else {
      super_repl_.touch(0, i - set_entries());
    }
  }

  TlbGeometry g_;
  std::vector<std::optional<CachedTranslation>> entries_;
  // Per entry, copied from entries_ at refill (CachedTranslation::covers's
  // fields, side by side for the scan): the VPN bits its tag compares, the
  // VPN under them, the ASID, and valid | global | mode.
  static constexpr uint8_t kLive = 1, kGlobal = 2;
  static constexpr unsigned kModeShift = 2;
  unsigned way_shift_ = unsigned(std::countr_zero(g_.ways));
  std::vector<uint64_t> tag_, care_;
  std::vector<uint16_t> asid_;
  std::vector<uint8_t> live_;
  Replacement repl_, super_repl_;
  std::optional<unsigned> hit_;  // the entry the last lookup matched
  // The last lookup that matched, kept while no refill or fence changes the
  // entries: a run of references to one page skips the scan (the fast
  // mode's common case). The touch is still made: it is what the RTL does.
  struct Memo {
    bool valid = false;
    uint64_t vpn = 0;
    uint16_t asid = 0;
    PagingMode mode = PagingMode::kBare;
    unsigned idx = 0;
  } memo_;
  TlbLevelCounts counts_;
};

// The hierarchy (rtl/mmu_top.sv): the L1 a request uses, then the L2.
class VmsimTlbHierarchy final : public TlbOrganization {
 public:
  explicit VmsimTlbHierarchy(const TlbHierarchy& h) : l1_(h.l1), pwc_names_(h.describe_pwc()) {
    if (h.l1i) l1i_.emplace(*h.l1i);
    if (h.l2) l2_.emplace(*h.l2);
    counts_.l1.present = true;
    counts_.l1i.present = h.l1i.has_value();
    counts_.l2.present = h.l2.has_value();
    for (unsigned l = 0; l < kPwcLevels; ++l) {
      if (!h.pwc[l].entries) continue;
      pwc_[l].emplace(TlbGeometry{1, h.pwc[l].entries, h.pwc[l].policy, 0});
      counts_.pwc[l].present = true;
    }
  }
  std::string name() const override {
    std::string s = (!l1i_ && !l2_) ? l1_.name() : (l1i_ ? "L1D " : "L1 ") + l1_.name();
    if (l1i_) s += ", L1I " + l1i_->name();
    if (l2_) s += ", L2 " + l2_->name();
    if (!pwc_names_.empty()) s += "; " + pwc_names_;
    return s;
  }

  TlbLookup lookup(uint64_t vpn, uint16_t asid, PagingMode mode, VirtAddr va, Access access, Priv priv,
                   const TranslationControl& ctl) override {
    (void)va;
    used_ = (access == Access::kFetch && l1i_) ? &*l1i_ : &l1_;
    if (const CachedTranslation* t = used_->lookup(vpn, asid, mode, access, priv, ctl)) return {t, false};
    if (!l2_) return {};
    const CachedTranslation* t = l2_->lookup(vpn, asid, mode, access, priv, ctl);
    if (!t) return {};
    used_->refill(*t);  // an L2 hit fills the L1 (which copies it)
    return {t, true};
  }

  void refill(const CachedTranslation& t) override {
    used_->refill(t);
    if (l2_) l2_->refill(t);
  }

  void fence(std::optional<uint64_t> vpn, std::optional<uint16_t> asid) override {
    l1_.fence(vpn, asid);
    if (l1i_) l1i_->fence(vpn, asid);
    if (l2_) l2_->fence(vpn, asid);
    for (std::optional<VmsimTlb>& p : pwc_) {
      if (p) p->fence(vpn, asid);
    }
  }

  const TlbCounts& counts() const override {
    counts_.l1.c = l1_.counts();
    if (l1i_) counts_.l1i.c = l1i_->counts();
    if (l2_) counts_.l2.c = l2_->counts();
    for (unsigned l = 0; l < kPwcLevels; ++l) {
      if (pwc_[l]) counts_.pwc[l].c = pwc_[l]->counts();
    }
    return counts_;
  }

  // Every level the mode has looks up at once; the lowest that hit is used.
  std::optional<WalkStart> walk_start(uint64_t vpn, uint16_t asid, PagingMode mode) override {
    const unsigned top = std::min(levels_of(mode) - 1, kPwcLevels);
    std::optional<WalkStart> start;
    unsigned used = 0;
    for (unsigned l = 1; l <= top; ++l) {
      if (!pwc_[l - 1]) continue;
      const CachedTranslation* e = pwc_[l - 1]->probe(vpn, asid, mode);
      if (e && !start) {
        start = WalkStart{l, e->ppn, e->global};
        used = l;
      }
    }
    if (start) pwc_[used - 1]->take();
    return start;
  }

  void pointer_followed(uint64_t vpn, uint16_t asid, PagingMode mode, unsigned level, uint64_t table_ppn,
                        bool global) override {
    if (level < 1 || level > kPwcLevels || !pwc_[level - 1]) return;
    pwc_[level - 1]->refill(CachedTranslation{mode, vpn, level, false, asid, global, table_ppn, 0});
  }

 private:
  VmsimTlb l1_;
  std::optional<VmsimTlb> l1i_, l2_;
  std::array<std::optional<VmsimTlb>, kPwcLevels> pwc_;  // [L - 1]: pointers of level L
  std::string pwc_names_;
  VmsimTlb* used_ = &l1_;  // the L1 of the last lookup
  mutable TlbCounts counts_;
};

}  // namespace

std::unique_ptr<TlbOrganization> make_vmsim_tlb(const TlbHierarchy& hierarchy) {
  return std::make_unique<VmsimTlbHierarchy>(hierarchy);
}

}  // namespace vmsim
