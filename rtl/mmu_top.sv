// mmu_top: RISC-V MMU — L1 TLB plus hardware page-table walker.
//
// Ports
// - Control: satp (written whole, RISC-V RV64 layout), SUM/MXR from sstatus,
//   Svadu enable (menvcfg.ADUE), and sfence.vma as a one-cycle flush_i with
//   optional address and ASID (the four architectural forms).
// - Translation: req_valid_i/req_ready_o handshake for (vaddr, access, priv);
//   exactly one resp_valid_o pulse follows each accepted request, one cycle
//   later on a TLB hit, after the walk on a miss. The requester must accept it.
// - Memory: the walker's PTE reads and Svadu write-backs, one outstanding.
//
// Xlen = 32 builds the same RTL as an RV32 MMU: satp in the RV32 layout
// (MODE bit 31, ASID 30:22, PPN 21:0), only the low 32 bits of a virtual
// address, 4-byte PTEs fetched with the same memory port (read data bits
// 31:0; the requester must know the PTE size from the build).
//
// Translation contract: a TLB hit on a canonical address whose cached
// permissions allow the access (and, on a store, whose D bit is set) answers
// from the TLB. Any other case
// walks the page table again; the walk's leaf overwrites the entry that hit,
// so a VPN never has two entries. Faults are never cached. Bare mode passes
// the address through; a Bare address above the 56-bit physical space is an
// access fault.
`include "mmu_assert.svh"

module mmu_top
#(
  // The L1 TLB (mmu_tlb): Sets x Ways, the set array's replacement policy
  // (mmu_pkg::REPL_*), and the superpage array's entries (0: superpages share
  // the set array, which must then be fully associative, Sets = 1).
  parameter int unsigned Sets         /*verilator public*/ = 1,
  parameter int unsigned Ways         /*verilator public*/ = 16,
  parameter int unsigned Policy       /*verilator public*/ = 0,
  parameter int unsigned SuperEntries /*verilator public*/ = 0,
  parameter int unsigned Xlen         /*verilator public*/ = 64,  // 64: Bare/Sv39/Sv48/Sv57; 32: Bare/Sv32
  localparam int unsigned Entries = Sets * Ways + SuperEntries,
  localparam int unsigned IdxW = (Entries > 1) ? $clog2(Entries) : 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  // Control port.
  input  logic               satp_we_i,
  input  logic [63:0]        satp_i,
  input  logic               sum_i,
  input  logic               mxr_i,
  input  logic               adue_i,
  input  logic               flush_i,
  input  logic               flush_vaddr_valid_i,
  input  logic [mmu_pkg::VLEN-1:0]    flush_vaddr_i,
  input  logic               flush_asid_valid_i,
  input  logic [mmu_pkg::ASID_W-1:0]  flush_asid_i,

  // Translation port.
  input  logic               req_valid_i,
  output logic               req_ready_o,
  input  logic [mmu_pkg::VLEN-1:0]    req_vaddr_i,
  input  mmu_pkg::access_e            req_access_i,
  input  logic               req_priv_s_i,   // 1: S-mode, 0: U-mode
  output logic               resp_valid_o,
  output logic [mmu_pkg::PLEN-1:0]    resp_paddr_o,
  output logic               resp_fault_o,
  output mmu_pkg::cause_e             resp_cause_o,
  output logic               resp_tlb_hit_o,  // served without a walk

  // Walker memory port.
  output logic               mem_req_valid_o,
  input  logic               mem_req_ready_i,
  output logic [mmu_pkg::PLEN-1:0]    mem_req_addr_o,
  output logic               mem_req_we_o,
  output logic [63:0]        mem_req_wdata_o,
  input  logic               mem_rsp_valid_i,
  input  logic [63:0]        mem_rsp_rdata_i,
  input  logic               mem_rsp_error_i
);

  // --------------------------------------------------------------------------
  // satp
  // --------------------------------------------------------------------------
  logic [63:0] satp_q;
  mmu_pkg::satp_mode_e        satp_mode;
  logic [mmu_pkg::ASID_W-1:0] satp_asid;
  logic [mmu_pkg::PPN_W-1:0]  satp_ppn;
  localparam bit Sv32 = Xlen == 32;
  if (Sv32) begin : gen_satp32
    assign satp_mode = satp_q[mmu_pkg::SATP32_MODE_BIT] ? mmu_pkg::SATP_MODE_SV32 : mmu_pkg::SATP_MODE_BARE;
    assign satp_asid = mmu_pkg::ASID_W'(satp_q[mmu_pkg::SATP32_ASID_LSB +: mmu_pkg::SATP32_ASID_W]);
    assign satp_ppn  = mmu_pkg::PPN_W'(satp_q[mmu_pkg::SATP32_PPN_W-1:0]);
    logic unused_satp_hi;  // RV32 satp is 32 bits wide
    assign unused_satp_hi = ^satp_q[63:32];
  end else begin : gen_satp64
    // Only implemented MODEs are ever written (see below), so satp_q holds one.
    // (A plain assignment: Yosys 0.23 cannot parse a cast to a package's enum.)
    /* verilator lint_off ENUMVALUE */
    assign satp_mode = satp_q[mmu_pkg::SATP64_MODE_LSB +: 4];
    /* verilator lint_on ENUMVALUE */
    assign satp_asid = satp_q[mmu_pkg::SATP64_ASID_LSB +: mmu_pkg::ASID_W];
    assign satp_ppn  = satp_q[mmu_pkg::PPN_W-1:0];
  end

  // The request's address as this build sees it (RV32: the low 32 bits).
  logic [mmu_pkg::VLEN-1:0] req_vaddr;
  assign req_vaddr = Sv32 ? {32'b0, req_vaddr_i[31:0]} : req_vaddr_i;
  logic [mmu_pkg::VLEN-1:0] flush_vaddr;
  assign flush_vaddr = Sv32 ? {32'b0, flush_vaddr_i[31:0]} : flush_vaddr_i;

  // satp is WARL: a write of a MODE this MMU does not implement has no effect
  // at all (the privileged spec, satp). RV32's one MODE bit has no such value.
  logic [3:0] satp_wr_mode;
  logic       satp_writable;
  assign satp_wr_mode  = satp_i[mmu_pkg::SATP64_MODE_LSB +: 4];
  assign satp_writable = Sv32 || satp_wr_mode == 4'(mmu_pkg::SATP_MODE_BARE)
                         || satp_wr_mode == 4'(mmu_pkg::SATP_MODE_SV39)
                         || satp_wr_mode == 4'(mmu_pkg::SATP_MODE_SV48)
                         || satp_wr_mode == 4'(mmu_pkg::SATP_MODE_SV57);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)        satp_q <= '0;
    else if (satp_we_i && satp_writable) satp_q <= satp_i;
  end

  // --------------------------------------------------------------------------
  // TLB lookup on the incoming request
  // --------------------------------------------------------------------------
  logic             walking_q, walking_d;
  logic             walk_hit_q;       // the request hit an entry with too few rights
  logic [IdxW-1:0]  walk_hit_idx_q;

  logic             tlb_hit;
  logic [IdxW-1:0]  tlb_hit_idx;
  mmu_pkg::tlb_entry_t       tlb_entry;
  mmu_pkg::access_e          req_access;

  assign req_access   = req_access_i;
  assign req_ready_o  = !walking_q;

  logic accept, bare, translate_mode;
  assign accept         = req_valid_i && req_ready_o;
  assign bare           = satp_mode == mmu_pkg::SATP_MODE_BARE;
  assign translate_mode = !bare;  // satp holds Bare or an implemented mode

  // A hit is usable when the address is canonical (the tags hold only
  // VA[56:12]), its rights allow this access and, for a store, the page is
  // already dirty; otherwise the walk decides (fault or A/D update).
  logic hit_usable;
  assign hit_usable = tlb_hit && mmu_pkg::va_canonical(satp_mode, req_vaddr[63:38])
      && !mmu_pkg::leaf_perm_fault(tlb_entry.r, tlb_entry.w, tlb_entry.x, tlb_entry.u,
                          req_access, req_priv_s_i, sum_i, mxr_i)
      && (req_access != mmu_pkg::ACCESS_STORE || tlb_entry.d);

  logic [mmu_pkg::PPN_W-1:0] hit_offset_mask, hit_ppn;
  assign hit_offset_mask = mmu_pkg::PPN_W'(mmu_pkg::vpn_offset_mask(tlb_entry.level, tlb_entry.napot, Sv32));
  assign hit_ppn = (tlb_entry.ppn & ~hit_offset_mask)
                   | (req_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::PPN_W] & hit_offset_mask);

  // --------------------------------------------------------------------------
  // Walker
  // --------------------------------------------------------------------------
  logic             ptw_start, ptw_done, ptw_fault, ptw_refill;
  mmu_pkg::cause_e           ptw_cause;
  mmu_pkg::tlb_entry_t       ptw_entry;
  logic [mmu_pkg::PLEN-1:0]  ptw_paddr;
  logic             ptw_busy;

  assign ptw_start = accept && translate_mode && !hit_usable;

  mmu_ptw #(.Sv32(Sv32)) u_ptw (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .start_i         (ptw_start),
    .vaddr_i         (req_vaddr),
    .access_i        (req_access),
    .priv_s_i        (req_priv_s_i),
    .sum_i           (sum_i),
    .mxr_i           (mxr_i),
    .adue_i          (adue_i),
    .satp_mode_i     (satp_mode),
    .satp_asid_i     (satp_asid),
    .satp_ppn_i      (satp_ppn),
    .flush_i         (flush_i),
    .busy_o          (ptw_busy),
    .done_o          (ptw_done),
    .fault_o         (ptw_fault),
    .cause_o         (ptw_cause),
    .refill_o        (ptw_refill),
    .entry_o         (ptw_entry),
    .paddr_o         (ptw_paddr),
    .mem_req_valid_o (mem_req_valid_o),
    .mem_req_ready_i (mem_req_ready_i),
    .mem_req_addr_o  (mem_req_addr_o),
    .mem_req_we_o    (mem_req_we_o),
    .mem_req_wdata_o (mem_req_wdata_o),
    .mem_rsp_valid_i (mem_rsp_valid_i),
    .mem_rsp_rdata_i (mem_rsp_rdata_i),
    .mem_rsp_error_i (mem_rsp_error_i)
  );

  mmu_tlb #(.Sets(Sets), .Ways(Ways), .Policy(Policy), .SuperEntries(SuperEntries), .Sv32(Sv32)) u_tlb (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .lookup_i            (req_valid_i && !walking_q),  // a request that may be accepted
    .vpn_i               (req_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W]),
    .asid_i              (satp_asid),
    .hit_o               (tlb_hit),
    .hit_idx_o           (tlb_hit_idx),
    .entry_o             (tlb_entry),
    .touch_i             (accept && hit_usable && translate_mode),
    .refill_i            (ptw_refill),
    .refill_at_hit_i     (walk_hit_q),
    .refill_hit_idx_i    (walk_hit_idx_q),
    .refill_entry_i      (ptw_entry),
    .flush_i             (flush_i),
    .flush_vaddr_valid_i (flush_vaddr_valid_i),
    .flush_vpn_i         (flush_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W]),
    .flush_asid_valid_i  (flush_asid_valid_i),
    .flush_asid_i        (flush_asid_i)
  );

  // --------------------------------------------------------------------------
  // Request tracking and the registered response
  // --------------------------------------------------------------------------
  logic            resp_valid_d, resp_valid_q;
  logic [mmu_pkg::PLEN-1:0] resp_paddr_d, resp_paddr_q;
  logic            resp_fault_d, resp_fault_q;
  mmu_pkg::cause_e          resp_cause_d, resp_cause_q;
  logic            resp_hit_d, resp_hit_q;

  always_comb begin
    walking_d    = walking_q;
    resp_valid_d = 1'b0;
    resp_paddr_d = resp_paddr_q;
    resp_fault_d = resp_fault_q;
    resp_cause_d = resp_cause_q;
    resp_hit_d   = 1'b0;

    if (walking_q) begin
      if (ptw_done) begin
        walking_d    = 1'b0;
        resp_valid_d = 1'b1;
        resp_paddr_d = ptw_paddr;
        resp_fault_d = ptw_fault;
        resp_cause_d = ptw_cause;
      end
    end else if (accept) begin
      if (bare) begin
        resp_valid_d = 1'b1;
        resp_paddr_d = req_vaddr[mmu_pkg::PLEN-1:0];
        resp_fault_d = req_vaddr[mmu_pkg::VLEN-1:mmu_pkg::PLEN] != '0;
        resp_cause_d = mmu_pkg::access_fault_cause(req_access);
      end else if (hit_usable) begin
        resp_valid_d = 1'b1;
        resp_paddr_d = {hit_ppn, req_vaddr[mmu_pkg::PAGE_SHIFT-1:0]};
        resp_fault_d = 1'b0;
        resp_cause_d = mmu_pkg::CAUSE_NONE;
        resp_hit_d   = 1'b1;
      end else begin
        walking_d = 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      walking_q      <= 1'b0;
      walk_hit_q     <= 1'b0;
      walk_hit_idx_q <= '0;
      resp_valid_q   <= 1'b0;
      resp_paddr_q   <= '0;
      resp_fault_q   <= 1'b0;
      resp_cause_q   <= mmu_pkg::CAUSE_NONE;
      resp_hit_q     <= 1'b0;
    end else begin
      walking_q    <= walking_d;
      resp_valid_q <= resp_valid_d;
      resp_paddr_q <= resp_paddr_d;
      resp_fault_q <= resp_fault_d;
      resp_cause_q <= resp_cause_d;
      resp_hit_q   <= resp_hit_d;
      if (ptw_start) begin
        walk_hit_q     <= tlb_hit;
        walk_hit_idx_q <= tlb_hit_idx;
      end else if (flush_i) begin
        walk_hit_q <= 1'b0;  // the entry that hit may be gone
      end
    end
  end

  // Address bits outside the VPN, the TLB fields the hit path does not use,
  // and the walker's busy flag (used by assertions) are left unread.
  logic unused_ok;
  assign unused_ok = ^{flush_vaddr[mmu_pkg::VLEN-1:mmu_pkg::PAGE_SHIFT+mmu_pkg::VPN_W],
                       flush_vaddr[mmu_pkg::PAGE_SHIFT-1:0],
                       tlb_entry.vpn, tlb_entry.asid, tlb_entry.global, ptw_busy};

  assign resp_valid_o   = resp_valid_q;
  assign resp_paddr_o   = resp_paddr_q;
  assign resp_fault_o   = resp_fault_q;
  assign resp_cause_o   = resp_cause_q;
  assign resp_tlb_hit_o = resp_hit_q;

  // Checks (see mmu_assert.svh): on in the test build (-DVMSIM_ASSERT) and
  // under make formal. A failure stops the run: the driver reports the
  // assertion's name and the cycle. Each one is made to fire on purpose in
  // tests/rtl/test_assertions.cpp.
  //
  // The walker is busy exactly while the top tracks a walk.
  `MMU_ASSERT(WalkTracked, walking_q == ptw_busy,
              ("mmu_top: walker busy=%0d disagrees with request tracking %0d", ptw_busy, walking_q))
  // Requester protocol: satp is written only between requests, never under
  // a walk nor in the cycle a request is accepted (the walk would start in
  // one address space and finish in another).
  `MMU_ASSUME(NoSatpWriteInWalk, !(satp_we_i && (walking_q || accept)),
              ("mmu_top: satp written while a walk is in progress"))
  // Exactly one response per accepted request: none without one outstanding.
`ifdef MMU_CHECKS_ON
  logic outstanding_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)           outstanding_q <= 1'b0;
    else if (accept)       outstanding_q <= 1'b1;
    else if (resp_valid_o) outstanding_q <= 1'b0;
  end
  `MMU_ASSERT(RespOnlyAfterRequest, !resp_valid_o || outstanding_q,
              ("mmu_top: a response with no request outstanding"))
  `MMU_COVER(HitServed, resp_valid_o && resp_tlb_hit_o)
  `MMU_COVER(RewalkAfterHit, ptw_start && tlb_hit)
`endif

endmodule
