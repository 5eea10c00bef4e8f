#include "testbench/check/tlb_model.h"

#include <bit>
#include <stdexcept>

namespace vmsim {

namespace {

class FullyAssociativePlruTlb final : public TlbOrganization {
 public:
  explicit FullyAssociativePlruTlb(unsigned entries)
      : entries_(entries), plru_(entries > 1 ? entries - 1 : 1, false) {
    if (entries == 0 || !std::has_single_bit(entries))
      throw std::invalid_argument("TLB entries must be a power of two");
    levels_ = unsigned(std::countr_zero(entries));
  }
  std::string name() const override {
    return std::to_string(entries_.size()) + "-entry fully associative PLRU";
  }

  const CachedTranslation* lookup(uint64_t vpn, uint16_t asid, PagingMode mode, VirtAddr va, Access access,
                                  Priv priv, const TranslationControl& ctl) override {
    hit_.reset();
    for (unsigned i = 0; i < entries_.size(); ++i) {
      if (entries_[i] && entries_[i]->covers(vpn, asid, mode)) {
        hit_ = i;  // the lowest index wins
        break;
      }
    }
    if (!hit_) return nullptr;
    const CachedTranslation& e = *entries_[*hit_];
    const bool usable = SpecWalk::rights_allow(e.flags, access, priv, ctl) &&
                        (access != Access::kStore || (e.flags & pte::kD));
    (void)va;
    if (!usable) return nullptr;  // the walk decides, and overwrites this entry
    touch(*hit_);
    return &e;
  }

  void refill(const CachedTranslation& t) override {
    const unsigned slot = hit_ ? *hit_ : victim();
    entries_[slot] = t;
    touch(slot);
  }

  void fence(std::optional<uint64_t> vpn, std::optional<uint16_t> asid) override {
    for (auto& e : entries_) {
      if (!e) continue;
      const uint64_t care = ~leaf_offset_mask(e->mode, e->level, e->napot) & ((uint64_t{1} << 45) - 1);
      const bool va_hit = !vpn || ((e->vpn ^ *vpn) & care) == 0;
      const bool asid_hit = !asid || (!e->global && e->asid == *asid);
      if (va_hit && asid_hit) e.reset();
    }
  }

 private:
  unsigned victim() const {
    for (unsigned i = 0; i < entries_.size(); ++i) {
      if (!entries_[i]) return i;  // a cold TLB fills without evicting
    }
    unsigned node = 0, idx = 0;
    for (unsigned l = 0; l < levels_; ++l) {
      const unsigned b = plru_[node];
      idx = (idx << 1) | b;
      node = 2 * node + 1 + b;
    }
    return idx;
  }
  void touch(unsigned idx) {
    unsigned node = 0;
    for (unsigned l = 0; l < levels_; ++l) {
      const unsigned b = (idx >> (levels_ - 1 - l)) & 1;
      plru_[node] = !b;  // point away from the used half
      node = 2 * node + 1 + b;
    }
  }

  std::vector<std::optional<CachedTranslation>> entries_;
  std::vector<bool> plru_;  // tree bits, root at 0, children 2n+1 / 2n+2
  unsigned levels_ = 0;
  std::optional<unsigned> hit_;  // the entry the last lookup matched
};

}  // namespace

std::unique_ptr<TlbOrganization> make_vmsim_l1_tlb(unsigned entries) {
  return std::make_unique<FullyAssociativePlruTlb>(entries);
}

}  // namespace vmsim
