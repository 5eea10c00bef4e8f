#include "testbench/check/random_page_tables.h"

#include <stdexcept>
#include <vector>

namespace vmsim {

RandomPageTables::RandomPageTables(PhysMemory& mem, const RandomTableConfig& cfg, uint64_t seed)
    : mem_(mem), cfg_(cfg), rng_(seed), next_table_ppn_(cfg.table_region_base >> kPageShift) {
  for (unsigned s = 0; s < cfg_.address_spaces; ++s) build_space(s);
  // One more space whose root table lies outside memory: every walk in it is
  // an access fault at the top level.
  bad_root_ = Ppn{(mem_.size_bytes() >> kPageShift) + (rng_() % 1024)};
}

Ppn RandomPageTables::new_table() {
  const Ppn p{next_table_ppn_++};
  if (!mem_.contains(base_of(p), kPageSize)) throw std::runtime_error("random tables: out of memory");
  mem_.zero_page(p);
  return p;
}

uint64_t RandomPageTables::pte(PhysAddr a) {
  return mem_.read_word(a, pte_bytes_of(cfg_.mode));
}
void RandomPageTables::set_pte(PhysAddr a, uint64_t e) {
  mem_.write_word(a, e, pte_bytes_of(cfg_.mode));
}

uint64_t RandomPageTables::random_va(unsigned level) {
  const unsigned bits = va_bits_of(cfg_.mode);
  uint64_t va = rng_() & ((uint64_t{1} << bits) - 1);
  va &= ~(page_size(cfg_.mode, level) - 1);
  if (is_sv32(cfg_.mode)) return va;
  // Sign-extend so it is canonical; the request stream adds non-canonical ones.
  return uint64_t(int64_t(va << (64 - bits)) >> (64 - bits));
}

// A leaf PTE: random rights (legal combinations), U, G, A, D, and a PPN
// aligned for its level that mostly lands inside memory.
uint64_t RandomPageTables::random_leaf_pte(unsigned level, bool& napot) {
  static constexpr uint64_t kRights[] = {pte::kR, pte::kR | pte::kW, pte::kX, pte::kR | pte::kX,
                                         pte::kR | pte::kW | pte::kX};
  uint64_t flags = pte::kV | kRights[rng_() % 5];
  if (rng_() % 2) flags |= pte::kU;
  if (rng_() % 4 == 0) flags |= pte::kG;
  if (rng_() % 8 != 0) flags |= pte::kA;
  if (rng_() % 3 != 0) flags |= pte::kD;
  const uint64_t mem_pages = mem_.size_bytes() >> kPageShift;
  const unsigned bits = idx_bits_of(cfg_.mode);
  const uint64_t ppn_space = uint64_t{1} << (rv64() ? 40 : 22);
  uint64_t ppn = rng_() % (rng_() % 8 == 0 ? ppn_space : mem_pages);
  ppn &= ~((uint64_t{1} << (bits * level)) - 1);
  if (level > 0 && rng_() % 16 == 0) ppn |= uint64_t{1} << (rng_() % (bits * level));  // misaligned
  napot = rv64() && level == 0 && rng_() % 10 == 0 && cfg_.features.svnapot;
  if (napot) ppn = (ppn & ~uint64_t{0xf}) | 0x8;
  uint64_t e = pte::make(Ppn{ppn}, flags);
  if (napot) e |= pte::kN;
  if (rv64() && rng_() % 10 == 0) {
    const uint64_t pbmt = rng_() % 3;  // PBMT 0..2 are legal where Svpbmt is
    if (cfg_.features.svpbmt) e |= pbmt << 61;
  }
  return e;
}

// Bits that make a pointer PTE illegal (the spec reserves them in non-leaves).
uint64_t RandomPageTables::pointer_defect() {
  static constexpr uint64_t kBits[] = {pte::kD, pte::kA, pte::kU, pte::kN, uint64_t{1} << 61};
  return kBits[rng_() % (rv64() ? 5 : 3)];  // Sv32 PTEs have no N or PBMT
}

// One injected defect, chosen at random among the ways a leaf can be wrong.
uint64_t RandomPageTables::corrupt(uint64_t e, unsigned level) {
  unsigned pick = unsigned(rng_() % 12);
  if (!rv64() && (pick == 2 || pick == 3 || pick == 7 || pick == 11)) pick = 0;  // no such bits in Sv32
  switch (pick) {
    case 9:
      return pte::make(pte::ppn(e), pte::kV);  // pointer where a leaf is
    case 10:
      return pte::make(pte::ppn(e), pte::kV | pointer_defect());  // ... with illegal bits
    case 11:
      return e | pte::kN;  // N on any leaf
    case 0:
      return e & ~pte::kV;  // invalid
    case 1:
      return (e & ~(pte::kR | pte::kX)) | pte::kW;  // W without R
    case 2:
      return e | (uint64_t{1} << (54 + rng_() % 7));  // reserved bit
    case 3:
      return e | pte::kPbmtMask;  // PBMT = 3
    case 4:
      return level > 0 ? e | (uint64_t{1} << pte::kPpnShift) : e & ~pte::kA;  // misaligned
    case 5:
      return e & ~pte::kA;  // A clear
    case 6:
      return e & ~pte::kD;  // D clear
    case 7:
      return e | pte::kN;  // napot misuse
    default:
      return e ^ pte::kU;  // wrong privilege
  }
}

void RandomPageTables::build_space(unsigned s) {
  const Ppn root = new_table();
  roots_.push_back(root);
  const unsigned levels = levels_of(cfg_.mode);
  for (unsigned n = 0; n < cfg_.leaves_per_space; ++n) {
    // 4 KiB pages half the time, the rest spread over every superpage size.
    const unsigned level = rng_() % 2 ? 0 : unsigned(1 + rng_() % (levels - 1));
    const uint64_t va = random_va(level);
    Ppn table = root;
    bool blocked = false;
    for (unsigned l = levels - 1; l > level; --l) {
      const PhysAddr a = pte_address(table, VirtAddr{va}, l, cfg_.mode);
      uint64_t e = pte(a);
      if (!(e & pte::kV)) {
        const Ppn t = new_table();
        e = pte::make(t, pte::kV | (rng_() % 16 == 0 ? pte::kG : 0));
        if (rng_() % 25 == 0) e |= pointer_defect();
        if (rng_() % 12 == 0) e = pte::make(Ppn{(mem_.size_bytes() >> kPageShift) + rng_() % 4096}, pte::kV);
        set_pte(a, e);
      } else if (!pte::is_pointer(e)) {
        blocked = true;  // a superpage already covers this range
        break;
      }
      table = pte::ppn(e);
      if (!mem_.contains(base_of(table), kPageSize)) {
        // Requests still go here: their walks end in an access fault.
        leaves_.push_back({s, va, level, PhysAddr{}, false});
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    const PhysAddr a = pte_address(table, VirtAddr{va}, level, cfg_.mode);
    if (pte(a) & pte::kV) continue;
    bool napot = false;
    uint64_t e = random_leaf_pte(level, napot);
    if (rng_() % 100 < cfg_.fault_percent) e = corrupt(e, level);
    set_pte(a, e);
    leaves_.push_back({s, va, level, a, true});
  }
}

uint64_t RandomPageTables::pick_request_va() {
  const unsigned r = unsigned(rng_() % 100);
  if (r < 85 && !leaves_.empty()) {
    // Locality: mostly one of a few recently used leaves, so the TLB hits;
    // now and then a new leaf joins the working set.
    // Leaves of the current space, mostly: others' are unmapped here.
    size_t pick = rng_() % leaves_.size();
    if (rng_() % 8 != 0) {
      for (int tries = 0; tries < 8 && leaves_[pick].space != space_; ++tries) pick = rng_() % leaves_.size();
    }
    if (!recent_.empty() && rng_() % 8 != 0)
      pick = recent_[rng_() % recent_.size()];
    else {
      if (recent_.size() < 8)
        recent_.push_back(pick);
      else
        recent_[rng_() % recent_.size()] = pick;
    }
    const Leaf& l = leaves_[pick];
    const uint64_t span = page_size(cfg_.mode, l.level);
    // Near the start, near the end, or anywhere in the page: superpage
    // entries must be found from every address they cover.
    const uint64_t off = rng_() % 3 == 0   ? rng_() % 64
                         : rng_() % 3 == 0 ? span - 8 - rng_() % 64
                                           : rng_() % span;
    return l.va + (off & ~uint64_t{7});
  }
  if (r < 93) return random_va(0) | (rng_() & 0xff8);  // probably unmapped
  if (r < 97 && rv64() && !recent_.empty()) {
    // A recently used (so probably cached) address made non-canonical by
    // flipping bits above the mode's width: the same VPN bits a TLB compares,
    // so only the canonical check can tell them apart.
    const uint64_t va = leaves_[recent_[rng_() % recent_.size()]].va | (rng_() & 0xff8);
    const unsigned bits = va_bits_of(cfg_.mode);
    const uint64_t high = ~((uint64_t{1} << bits) - 1);  // bits..63
    uint64_t flip = rng_() & high;
    if (!flip) flip = uint64_t{1} << (bits + rng_() % (64 - bits));
    return va ^ flip;
  }
  return rng_() | (uint64_t{1} << 62);  // likely non-canonical
}

// k random translations, asked together.
size_t RandomPageTables::translate_batch(MmuPort& mmu, size_t k) {
  std::vector<TranslationRequest> batch(k);
  for (TranslationRequest& q : batch) {
    q.access = Access(rng_() % 3);
    q.priv = Priv(rng_() % 2);
    q.va = VirtAddr{pick_request_va()};
  }
  std::vector<Translation> out(k);
  mmu.translate_batch(batch.data(), k, out.data());
  return k;
}

uint64_t RandomPageTables::drive(MmuPort& mmu, uint64_t n, unsigned window) {
  TranslationControl ctl;
  space_ = 0;
  mmu.set_control(ctl);
  mmu.write_satp(make_satp(cfg_.mode, Asid{1}, roots_[0]));
  mmu.sfence(std::nullopt, std::nullopt);
  uint64_t made = 0;
  while (made < n) {
    const unsigned r = unsigned(rng_() % 1000);
    if (r < 8) {  // context switch (no fence: ASIDs keep the spaces apart)
      space_ = unsigned(rng_() % roots_.size());
      recent_.clear();
      if (rng_() % 32 == 0) {
        mmu.write_satp(make_satp(cfg_.mode, Asid{0x7ff}, bad_root_));
      } else {
        mmu.write_satp(make_satp(cfg_.mode, Asid{space_ + 1}, roots_[space_]));
      }
    } else if (r < 12) {
      ctl.sum = rng_() & 1;
      ctl.mxr = rng_() & 1;
      ctl.svadu = (rng_() & 1) && cfg_.features.svadu;
      mmu.set_control(ctl);
    } else if (r < 18) {  // all four sfence forms
      const uint64_t va = pick_request_va();
      const Asid asid{1 + rng_() % roots_.size()};
      switch (rng_() % 4) {
        case 0:
          mmu.sfence(std::nullopt, std::nullopt);
          break;
        case 1:
          mmu.sfence(std::nullopt, asid);
          break;
        case 2:
          mmu.sfence(VirtAddr{va}, std::nullopt);
          break;
        default:
          mmu.sfence(VirtAddr{va}, asid);
          break;
      }
    } else if (r < 24 && !leaves_.empty()) {  // edit a leaf, then fence it
      const Leaf& l = leaves_[rng_() % leaves_.size()];
      if (!l.editable) continue;
      bool napot = false;
      uint64_t e = random_leaf_pte(l.level, napot);
      if (rng_() % 100 < cfg_.fault_percent) e = corrupt(e, l.level);
      set_pte(l.pte_addr, e);
      mmu.sfence(VirtAddr{l.va}, std::nullopt);
    } else if (window > 1) {
      made += translate_batch(mmu, std::min<uint64_t>(window, n - made));
    } else {
      const Access a = Access(rng_() % 3);
      const Priv p = Priv(rng_() % 2);
      mmu.translate(VirtAddr{pick_request_va()}, a, p);
      ++made;
    }
  }
  return made;
}

}  // namespace vmsim
