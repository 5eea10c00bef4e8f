rtl/mmu_pkg.sv
rtl/mmu_tlb_repl.sv
rtl/mmu_tlb.sv
rtl/mmu_pte_check.sv
rtl/mmu_req_slot.sv
rtl/mmu_pwc.sv
rtl/mmu_ptw.sv
rtl/mmu_top.sv
