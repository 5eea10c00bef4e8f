#include "testbench/check/checked_mmu.h"

#include <fmt/format.h>

namespace vmsim {

std::string describe(const Translation& t) {
  if (t.fault) return fmt::format("fault {} ({})", to_string(t.cause), t.tlb_hit ? "tlb hit" : "tlb miss");
  return fmt::format("pa 0x{:x} ({})", t.pa.value(), t.tlb_hit ? "tlb hit" : "tlb miss");
}

Translation CheckedMmu::translate(VirtAddr va, Access access, Priv priv) {
  const RefResult exp = ref_.expect(va, access, priv);  // reads memory before the DUT may write it
  const Translation got = dut_.translate(va, access, priv);
  ++stats_.translations;
  if (coverage_) coverage_->sample(decode_satp(satp_, xlen_).mode, exp, access, priv);
  if (exp.walked) {
    if (exp.t.fault)
      ++stats_.walk_faults;
    else
      ++stats_.walks_by_leaf_level[unsigned(exp.leaf_level)];
  }

  if (got.fault != exp.t.fault || got.cause != exp.t.cause || (!got.fault && got.pa != exp.t.pa)) {
    report(va, access, priv, exp, got, "translation differs");
  } else if (got.tlb_hit != exp.t.tlb_hit) {
    report(va, access, priv, exp, got, "TLB hit/miss differs");
  } else if (exp.ad_update && pte_at(exp.ad_update->pte_addr) != exp.ad_update->pte) {
    report(va, access, priv, exp, got,
           fmt::format("A/D write-back missing: PTE at 0x{:x} is 0x{:016x}, expected 0x{:016x}",
                       exp.ad_update->pte_addr.value(), pte_at(exp.ad_update->pte_addr), exp.ad_update->pte));
  }
  return got;
}

void CheckedMmu::report(VirtAddr va, Access access, Priv priv, const RefResult& exp, const Translation& got,
                        const std::string& what) {
  if (stats_.mismatches++ > 0) return;
  std::string s = fmt::format(
      "checker mismatch #1 at translation {}: {}\n"
      "  request : va 0x{:016x} access {} priv {}\n"
      "  expected: {}\n"
      "  got     : {}\n",
      stats_.translations, what, va.value(), to_string(access), to_string(priv),
      describe(exp.t) + (exp.t.fault ? fmt::format(" [{}]", to_string(exp.kind)) : ""), describe(got));
  if (exp.steps.empty()) {
    s += exp.walked ? "  walk    : no PTE read (non-canonical address)\n"
                    : "  walk    : none (reference answered from its TLB model)\n";
  }
  for (const WalkStep& st : exp.steps) {
    s +=
        fmt::format("  walk    : level {} pte @ 0x{:x} = 0x{:016x}\n", st.level, st.pte_addr.value(), st.pte);
  }
  first_ = std::move(s);
}

void CheckedMmu::write_satp(uint64_t satp) {
  satp_ = satp;
  ref_.write_satp(satp);
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
