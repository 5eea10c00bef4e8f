#include "testbench/check/checked_mmu.h"

#include <fmt/format.h>

#include <vector>

namespace vmsim {

namespace {
bool same_result(const Translation& a, const Translation& b) {
  return a.fault == b.fault && a.cause == b.cause && (a.fault || a.pa == b.pa);
}
}  // namespace

std::string describe(const Translation& t) {
  const char* how = !t.tlb_hit ? "tlb miss" : t.l2_hit ? "l2 tlb hit" : "tlb hit";
  if (t.fault) return fmt::format("fault {} ({})", to_string(t.cause), how);
  return fmt::format("pa 0x{:x} ({})", t.pa.value(), how);
}

Translation CheckedMmu::translate(VirtAddr va, Access access, Priv priv) {
  // Reads memory before the device may write it.
  const Expectation exp = ref_.expect(va, access, priv, !organization_off_);
  const Translation got = dut_.translate(va, access, priv);
  judge(va, access, priv, exp, got);
  ref_.retire(exp);
  return got;
}

void CheckedMmu::translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) {
  if (window_ <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) out[i] = translate(reqs[i].va, reqs[i].access, reqs[i].priv);
    return;
  }
  organization_off_ = true;
  std::vector<Expectation> exps;
  exps.reserve(n);
  for (size_t i = 0; i < n; ++i) exps.push_back(ref_.expect(reqs[i].va, reqs[i].access, reqs[i].priv, false));
  dut_.translate_batch(reqs, n, out);
  in_batch_ = true;
  for (size_t i = 0; i < n; ++i) judge(reqs[i].va, reqs[i].access, reqs[i].priv, exps[i], out[i]);
  in_batch_ = false;
  for (const Expectation& e : exps) ref_.retire(e);
}

void CheckedMmu::judge(VirtAddr va, Access access, Priv priv, const Expectation& exp,
                       const Translation& got) {
  ++stats_.translations;
  ++stats_.by_access[unsigned(access)];
  stats_.hits_by_access[unsigned(access)] += got.tlb_hit;
  if (coverage_) coverage_->sample(decode_satp(satp_, xlen_).mode, exp.spec, access, priv);
  count(exp, got);
  std::string wrong = check_architecture(va, access, priv, exp, got);
  if (wrong.empty() && exp.predicted) wrong = check_organization(exp, got);
  if (!wrong.empty()) report(va, access, priv, exp, got, wrong);
}

// The walks the device made, by outcome: as predicted, or as it says.
void CheckedMmu::count(const Expectation& exp, const Translation& got) {
  const bool walked = exp.spec.walked && (exp.predicted ? !exp.hit : !got.tlb_hit && !got.merged);
  if (!walked) return;
  if (exp.spec.t.fault) {
    ++stats_.walk_faults;
  } else {
    ++stats_.walks_by_leaf_level[unsigned(exp.spec.leaf_level)];
  }
}

std::string CheckedMmu::check_architecture(VirtAddr va, Access access, Priv priv, const Expectation& exp,
                                           const Translation& got) {
  if (same_result(got, exp.spec.t)) {
    // The spec walk's answer: its A/D write-back is due, unless the answer
    // may have come from a cached translation (which writes nothing).
    if (!exp.spec.ad_update || exp.predicted) return {};
    if (ref_.could_be_cached(got, va, access, priv)) return {};
    return missing_write_back(exp);
  }
  if (ref_.could_be_cached(got, va, access, priv)) {
    ++stats_.cached_answers;  // legal: a translation software left unfenced
    return {};
  }
  return "translation differs";
}

std::string CheckedMmu::check_organization(const Expectation& exp, const Translation& got) {
  if (!same_result(got, exp.answer)) return "translation differs from the predicted cached one";
  if (got.tlb_hit != exp.hit) return "TLB hit/miss differs";
  if (got.l2_hit != exp.l2_hit)
    return exp.l2_hit ? "L2 TLB hit expected, the L1 served it" : "L2 TLB hit not expected";
  // The PTE reads show where the walk began: a page-walk cache's hit or
  // miss, or a replacement bug in one, changes them.
  if (!exp.hit && got.pte_reads != exp.spec.pte_reads()) return "walk depth (PTE reads) differs";
  if (exp.ad_required) return missing_write_back(exp);
  return {};
}

std::string CheckedMmu::missing_write_back(const Expectation& exp) {
  const WalkStep& w = *exp.spec.ad_update;
  const uint64_t now = pte_at(w.pte_addr);
  if (now == w.pte) return {};
  // In a batch, another request to the page may have set D (or A) too: the
  // bits this one needed must be there, and nothing else may differ.
  constexpr uint64_t kAd = pte::kA | pte::kD;
  if (in_batch_ && (now & ~kAd) == (w.pte & ~kAd) && (now & w.pte & kAd) == (w.pte & kAd)) return {};
  return fmt::format("A/D write-back missing: PTE at 0x{:x} is 0x{:016x}, expected 0x{:016x}",
                     w.pte_addr.value(), pte_at(w.pte_addr), w.pte);
}

namespace {
std::string outcome_of(const Translation& t) {
  return t.fault ? fmt::format("a {}", to_string(t.cause)) : std::string("a translation");
}
}  // namespace

void CheckedMmu::report(VirtAddr va, Access access, Priv priv, const Expectation& exp, const Translation& got,
                        const std::string& what) {
  const bool first = stats_.mismatches++ == 0;
  const std::string expected =
      exp.answer.fault ? fmt::format("{} ({})", to_string(exp.spec.kind), to_string(exp.answer.cause))
                       : std::string("a translation");
  std::string got_outcome = outcome_of(got);
  if (!got.fault && !exp.answer.fault && got.pa != exp.answer.pa) got_outcome = "another physical address";
  MismatchClass& c = classes_[fmt::format("{}: expected {}, got {}", what, expected, got_outcome)];
  if (c.count++ > 0 && !first) return;
  Translation want = exp.answer;
  want.tlb_hit = exp.hit;
  want.l2_hit = exp.l2_hit;
  want.pte_reads = uint8_t(exp.hit ? 0 : exp.spec.pte_reads());
  std::string s = fmt::format(
      "checker mismatch #{} at translation {}: {}\n"
      "  request : va 0x{:016x} access {} priv {}\n"
      "  expected: {}\n"
      "  got     : {}\n",
      stats_.mismatches, stats_.translations, what, va.value(), to_string(access), to_string(priv),
      describe(want) + (exp.spec.t.fault ? fmt::format(" [{}]", to_string(exp.spec.kind)) : "") +
          (exp.predicted ? "" : " (hit/miss not predicted)"),
      describe(got));
  if (exp.spec.steps.empty()) {
    s += !exp.spec.walked ? "  walk    : none (Bare)\n"
         : exp.spec.kind == WalkFault::kNonCanonical
             ? "  walk    : no PTE read (non-canonical address)\n"
             : "  walk    : no PTE read (the root table is outside memory)\n";
  }
  if (exp.predicted && !(exp.hit && got.tlb_hit)) {
    s += fmt::format("  PTE reads: expected {}, got {}\n", want.pte_reads, got.pte_reads);
  }
  if (exp.spec.start_level) {
    s += fmt::format("  walk    : from the level {} pointer a page-walk cache holds\n", exp.spec.start_level);
  }
  for (const WalkStep& st : exp.spec.steps) {
    s +=
        fmt::format("  walk    : level {} pte @ 0x{:x} = 0x{:016x}\n", st.level, st.pte_addr.value(), st.pte);
  }
  if (c.first.empty()) c.first = s;
  if (first) first_ = std::move(s);
}

void CheckedMmu::write_satp(uint64_t satp) {
  if (ref_.write_satp(satp)) satp_ = satp;  // WARL: an unimplemented MODE is not written
  dut_.write_satp(satp);
}

void CheckedMmu::set_control(const TranslationControl& ctl) {
  ref_.set_control(ctl);
  dut_.set_control(ctl);
}

void CheckedMmu::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  ref_.sfence(va, asid);
  dut_.sfence(va, asid);
}

}  // namespace vmsim
