// mmu_pte_check: classifies one PTE read by the walker at a given level.
//
// Pure combinational logic in the order of the RISC-V privileged spec and
// Spike's mmu_t::walk (all outcomes below are page faults of the access type,
// so the order decides only which outcome wins, never the cause):
//   1. reserved bits 60:54, PBMT = 3            -> fault
//   2. pointer (V=1, R=W=X=0): D/A/U/N/PBMT set, or at level 0 -> fault,
//      else descend
//   3. leaf: V=0, or W without R                 -> fault
//   4. N set anywhere but a level-0 leaf with PPN[3:0] = 1000 -> fault
//   5. U/S privilege, then R/W/X (MXR)          -> fault
//   6. superpage PPN not aligned to its size    -> fault
//   7. A clear, or D clear on a store: needs_ad_o (the walker faults under
//      Svade or writes the bits back under Svadu)
// Svnapot and Svpbmt are implemented and always enabled.
module mmu_pte_check
#(
  parameter bit Sv32 = 1'b0  // 4-byte PTEs, zero-extended by the walker
) (
  input  logic               valid_i,      // pte_i holds a PTE this cycle
  input  logic [63:0]        pte_i,
  input  logic [mmu_pkg::LEVEL_W-1:0] level_i,
  input  mmu_pkg::access_e            access_i,
  input  logic               priv_s_i,
  input  logic               sum_i,
  input  logic               mxr_i,
  output logic               fault_o,      // page fault
  output logic               pointer_o,    // valid pointer: walk the next level
  output logic               needs_ad_o    // valid leaf missing A (or D on a store)
);

  logic v, r, w, x, u, a, d, n;
  logic [1:0]       pbmt;
  logic [mmu_pkg::PPN_W-1:0] ppn;
  logic             is_pointer;

  assign v    = pte_i[mmu_pkg::PTE_V];
  assign r    = pte_i[mmu_pkg::PTE_R];
  assign w    = pte_i[mmu_pkg::PTE_W];
  assign x    = pte_i[mmu_pkg::PTE_X];
  assign u    = pte_i[mmu_pkg::PTE_U];
  assign a    = pte_i[mmu_pkg::PTE_A];
  assign d    = pte_i[mmu_pkg::PTE_D];
  assign n    = pte_i[mmu_pkg::PTE_N];
  assign pbmt = pte_i[mmu_pkg::PTE_PBMT_LSB +: 2];
  assign ppn  = pte_i[mmu_pkg::PTE_PPN_LSB +: mmu_pkg::PPN_W];
  assign is_pointer = v && !r && !w && !x;

  // Low PPN bits a superpage at this level must leave zero.
  logic [mmu_pkg::PPN_W-1:0] align_mask;
  assign align_mask = mmu_pkg::PPN_W'(mmu_pkg::vpn_offset_mask(level_i, 1'b0, Sv32));

  always_comb begin
    fault_o    = 1'b0;
    pointer_o  = 1'b0;
    needs_ad_o = 1'b0;
    if (!valid_i) begin
      // No PTE this cycle: outputs stay low.
    end else if (pte_i[mmu_pkg::PTE_RSVD_LSB +: mmu_pkg::PTE_RSVD_W] != '0 || pbmt == 2'b11) begin
      fault_o = 1'b1;
    end else if (is_pointer) begin
      if (d || a || u || n || pbmt != 2'b00 || level_i == '0) fault_o = 1'b1;
      else                                                    pointer_o = 1'b1;
    end else if (!v || (w && !r)) begin
      fault_o = 1'b1;
    end else if (n && (level_i != '0 || ppn[3:0] != 4'b1000)) begin
      fault_o = 1'b1;
    end else if (mmu_pkg::leaf_perm_fault(r, w, x, u, access_i, priv_s_i, sum_i, mxr_i)) begin
      fault_o = 1'b1;
    end else if ((ppn & align_mask) != '0) begin
      fault_o = 1'b1;
    end else begin
      needs_ad_o = !a || (access_i == mmu_pkg::ACCESS_STORE && !d);
    end
  end

endmodule
