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
// The translation hierarchy, each level an mmu_tlb:
// - an L1 TLB for data (Sets x Ways, Policy, SuperEntries), which fetches
//   use too unless there is an L1 instruction TLB (IWays > 0: ISets x IWays,
//   IPolicy, ISuperEntries), in which case fetches use only that one;
// - optionally a shared L2 TLB (L2Ways > 0: L2Sets x L2Ways, L2Policy,
//   L2SuperEntries), looked up after an L1 miss and answering L2Latency
//   cycles later; it is neither inclusive nor exclusive of the L1s: a walk
//   fills both the L1 the request used and the L2, an L2 hit fills the L1,
//   and an sfence.vma flushes every level.
//
// - the walker's page-walk caches, one per level of pointers (PwcNEntries,
//   PwcNPolicy; see mmu_ptw): a walk starts below the lowest level whose
//   cache holds the pointer, and each pointer it follows fills its level's.
//
// Translation contract: a hit on a canonical address whose cached
// permissions allow the access (and, on a store, whose D bit is set) answers
// from the TLB: one cycle after the request from the L1, 1 + L2Latency
// cycles after it from the L2 (resp_l2_hit_o). Any other case walks the page
// table again; the walk's leaf overwrites the entry that hit at each level,
// so a VPN never has two entries in one TLB. Faults are never cached. Bare
// mode passes the address through; a Bare address above the 56-bit physical
// space is an access fault.
`include "mmu_assert.svh"

module mmu_top
#(
  // The L1 data TLB (or the only L1): Sets x Ways, the set array's
  // replacement policy (mmu_pkg::REPL_*), and the superpage array's entries
  // (0: superpages share the set array, which must then be fully
  // associative, Sets = 1). The same four for the L1 instruction TLB and the
  // L2 TLB; IWays = 0 and L2Ways = 0 leave them out.
  parameter int unsigned Sets           /*verilator public*/ = 1,
  parameter int unsigned Ways           /*verilator public*/ = 16,
  parameter int unsigned Policy         /*verilator public*/ = 0,
  parameter int unsigned SuperEntries   /*verilator public*/ = 0,
  parameter int unsigned ISets          /*verilator public*/ = 1,
  parameter int unsigned IWays          /*verilator public*/ = 0,
  parameter int unsigned IPolicy        /*verilator public*/ = 0,
  parameter int unsigned ISuperEntries  /*verilator public*/ = 0,
  parameter int unsigned L2Sets         /*verilator public*/ = 1,
  parameter int unsigned L2Ways         /*verilator public*/ = 0,
  parameter int unsigned L2Policy       /*verilator public*/ = 0,
  parameter int unsigned L2SuperEntries /*verilator public*/ = 0,
  parameter int unsigned L2Latency      /*verilator public*/ = 2,   // 1..255 cycles
  // Page-walk caches, one per level of pointer PTEs (mmu_ptw): PwcN caches
  // the pointers read at level N (N = 1 points to leaf tables; Sv32 has only
  // N = 1): entries (0: none; else a power of two) and replacement policy.
  parameter int unsigned Pwc1Entries    /*verilator public*/ = 0,
  parameter int unsigned Pwc1Policy     /*verilator public*/ = 0,
  parameter int unsigned Pwc2Entries    /*verilator public*/ = 0,
  parameter int unsigned Pwc2Policy     /*verilator public*/ = 0,
  parameter int unsigned Pwc3Entries    /*verilator public*/ = 0,
  parameter int unsigned Pwc3Policy     /*verilator public*/ = 0,
  parameter int unsigned Pwc4Entries    /*verilator public*/ = 0,
  parameter int unsigned Pwc4Policy     /*verilator public*/ = 0,
  parameter int unsigned Xlen           /*verilator public*/ = 64,  // 64: Bare/Sv39/Sv48/Sv57; 32: Bare/Sv32
  localparam int unsigned DEntries  = Sets * Ways + SuperEntries,
  localparam int unsigned IEntries  = (IWays > 0) ? ISets * IWays + ISuperEntries : 1,
  localparam int unsigned L2Entries = (L2Ways > 0) ? L2Sets * L2Ways + L2SuperEntries : 1,
  localparam int unsigned DIdxW  = (DEntries > 1) ? $clog2(DEntries) : 1,
  localparam int unsigned IIdxW  = (IEntries > 1) ? $clog2(IEntries) : 1,
  localparam int unsigned L2IdxW = (L2Entries > 1) ? $clog2(L2Entries) : 1,
  localparam int unsigned L1IdxW = (DIdxW > IIdxW) ? DIdxW : IIdxW
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
  output logic               resp_tlb_hit_o,  // served without a walk (by an L1 or the L2)
  output logic               resp_l2_hit_o,   // served by the L2 TLB

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

  localparam bit HasItlb = IWays > 0;
  localparam bit HasL2   = L2Ways > 0;
  if (L2Latency < 1 || L2Latency > 255) begin : gen_latency_check
    $error("mmu_top: L2Latency must be 1..255 cycles, got %0d", L2Latency);
  end

  // --------------------------------------------------------------------------
  // The request: accepted only in TOP_IDLE, then held for the L2 and the walk
  // --------------------------------------------------------------------------
  typedef enum logic [1:0] {
    TOP_IDLE,  // ready for a request; an L1 hit is answered from here
    TOP_L2,    // an L1 miss waits L2Latency cycles for the L2's answer
    TOP_WALK   // the walker works on the request
  } top_state_e;
  top_state_e state_d, state_q;

  logic [mmu_pkg::VLEN-1:0] vaddr_q;
  mmu_pkg::access_e         access_q;
  logic                     priv_s_q;
  logic                     fetch_side_q;    // the request used the L1 instruction TLB
  logic                     l1_hit_q;        // its L1 hit an entry it could not use
  logic [L1IdxW-1:0]        l1_hit_idx_q;
  logic                     l2_hit_q;        // likewise in the L2
  logic [L2IdxW-1:0]        l2_hit_idx_q;
  logic [7:0]               l2_wait_d, l2_wait_q;

  logic accept, bare, translate_mode, fetch_side;
  assign req_ready_o    = state_q == TOP_IDLE;
  assign accept         = req_valid_i && req_ready_o;
  assign bare           = satp_mode == mmu_pkg::SATP_MODE_BARE;
  assign translate_mode = !bare;  // satp holds Bare or an implemented mode
  assign fetch_side     = HasItlb && req_access_i == mmu_pkg::ACCESS_FETCH;

  logic [mmu_pkg::VPN_W-1:0] req_vpn, held_vpn, flush_vpn;
  assign req_vpn   = req_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W];
  assign held_vpn  = vaddr_q[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W];
  assign flush_vpn = flush_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W];

  // --------------------------------------------------------------------------
  // L1: the data TLB, and the instruction TLB if there is one. Only the one
  // the request uses looks up, so a cycle costs one L1's ways.
  // --------------------------------------------------------------------------
  logic                     l1_hit, l1_usable, l1_refill;
  logic [L1IdxW-1:0]        l1_hit_idx;
  mmu_pkg::tlb_entry_t      l1_entry, l1_refill_entry;
  logic                     dtlb_hit, itlb_hit;
  logic [DIdxW-1:0]         dtlb_hit_idx;
  logic [IIdxW-1:0]         itlb_hit_idx;
  mmu_pkg::tlb_entry_t      dtlb_entry, itlb_entry;
  logic                     l1_lookup;
  assign l1_lookup = req_valid_i && state_q == TOP_IDLE;  // a request that may be accepted

  assign l1_hit     = fetch_side ? itlb_hit : dtlb_hit;
  assign l1_hit_idx = fetch_side ? L1IdxW'(itlb_hit_idx) : L1IdxW'(dtlb_hit_idx);
  assign l1_entry   = fetch_side ? itlb_entry : dtlb_entry;
  assign l1_usable  = mmu_pkg::hit_usable(l1_hit, l1_entry.r, l1_entry.w, l1_entry.x, l1_entry.u,
                                          l1_entry.d, satp_mode, req_vaddr[63:38], req_access_i,
                                          req_priv_s_i, sum_i, mxr_i);

  mmu_tlb #(.Sets(Sets), .Ways(Ways), .Policy(Policy), .SuperEntries(SuperEntries), .Sv32(Sv32)) u_tlb (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .lookup_i            (l1_lookup && !fetch_side),
    .vpn_i               (req_vpn),
    .asid_i              (satp_asid),
    .hit_o               (dtlb_hit),
    .hit_idx_o           (dtlb_hit_idx),
    .entry_o             (dtlb_entry),
    .touch_i             (accept && translate_mode && l1_usable && !fetch_side),
    .refill_i            (l1_refill && !fetch_side_q),
    .refill_at_hit_i     (l1_hit_q),
    .refill_hit_idx_i    (l1_hit_idx_q[DIdxW-1:0]),
    .refill_entry_i      (l1_refill_entry),
    .flush_i             (flush_i),
    .flush_vaddr_valid_i (flush_vaddr_valid_i),
    .flush_vpn_i         (flush_vpn),
    .flush_asid_valid_i  (flush_asid_valid_i),
    .flush_asid_i        (flush_asid_i)
  );

  if (HasItlb) begin : gen_itlb
    mmu_tlb #(.Sets(ISets), .Ways(IWays), .Policy(IPolicy), .SuperEntries(ISuperEntries), .Sv32(Sv32)) u_itlb (
      .clk_i               (clk_i),
      .rst_ni              (rst_ni),
      .lookup_i            (l1_lookup && fetch_side),
      .vpn_i               (req_vpn),
      .asid_i              (satp_asid),
      .hit_o               (itlb_hit),
      .hit_idx_o           (itlb_hit_idx),
      .entry_o             (itlb_entry),
      .touch_i             (accept && translate_mode && l1_usable && fetch_side),
      .refill_i            (l1_refill && fetch_side_q),
      .refill_at_hit_i     (l1_hit_q),
      .refill_hit_idx_i    (l1_hit_idx_q[IIdxW-1:0]),
      .refill_entry_i      (l1_refill_entry),
      .flush_i             (flush_i),
      .flush_vaddr_valid_i (flush_vaddr_valid_i),
      .flush_vpn_i         (flush_vpn),
      .flush_asid_valid_i  (flush_asid_valid_i),
      .flush_asid_i        (flush_asid_i)
    );
  end else begin : gen_no_itlb
    assign itlb_hit     = 1'b0;
    assign itlb_hit_idx = '0;
    assign itlb_entry   = '0;
  end

  // --------------------------------------------------------------------------
  // L2: looked up with the held request once its latency has passed
  // --------------------------------------------------------------------------
  logic                l2_lookup, l2_hit, l2_usable, ptw_refill;
  logic [L2IdxW-1:0]   l2_hit_idx;
  mmu_pkg::tlb_entry_t l2_entry, ptw_entry;
  assign l2_lookup = HasL2 && state_q == TOP_L2 && l2_wait_q == '0;
  if (HasL2) begin : gen_l2
    mmu_tlb #(.Sets(L2Sets), .Ways(L2Ways), .Policy(L2Policy), .SuperEntries(L2SuperEntries), .Sv32(Sv32))
      u_l2 (
      .clk_i               (clk_i),
      .rst_ni              (rst_ni),
      .lookup_i            (l2_lookup),
      .vpn_i               (held_vpn),
      .asid_i              (satp_asid),
      .hit_o               (l2_hit),
      .hit_idx_o           (l2_hit_idx),
      .entry_o             (l2_entry),
      .touch_i             (l2_lookup && l2_usable),
      .refill_i            (ptw_refill),
      .refill_at_hit_i     (l2_hit_q),
      .refill_hit_idx_i    (l2_hit_idx_q),
      .refill_entry_i      (ptw_entry),
      .flush_i             (flush_i),
      .flush_vaddr_valid_i (flush_vaddr_valid_i),
      .flush_vpn_i         (flush_vpn),
      .flush_asid_valid_i  (flush_asid_valid_i),
      .flush_asid_i        (flush_asid_i)
    );
  end else begin : gen_no_l2
    assign l2_hit     = 1'b0;
    assign l2_hit_idx = '0;
    assign l2_entry   = '0;
  end
  assign l2_usable = mmu_pkg::hit_usable(l2_hit, l2_entry.r, l2_entry.w, l2_entry.x, l2_entry.u, l2_entry.d,
                                         satp_mode, vaddr_q[63:38], access_q, priv_s_q, sum_i, mxr_i);

  // The L1 the request used is filled by the walk's leaf, or by the L2's hit.
  assign l1_refill       = (state_q == TOP_WALK && ptw_refill) || (l2_lookup && l2_usable);
  assign l1_refill_entry = (state_q == TOP_WALK) ? ptw_entry : l2_entry;

  // --------------------------------------------------------------------------
  // Walker: started by an L1 miss, or by an L2 miss with the held request
  // --------------------------------------------------------------------------
  logic             ptw_start, ptw_done, ptw_fault;
  mmu_pkg::cause_e           ptw_cause;
  logic [mmu_pkg::PLEN-1:0]  ptw_paddr;
  logic             ptw_busy;
  logic [mmu_pkg::VLEN-1:0]  walk_vaddr;
  mmu_pkg::access_e          walk_access;
  logic                      walk_priv_s;

  assign ptw_start   = HasL2 ? l2_lookup && !l2_usable : accept && translate_mode && !l1_usable;
  assign walk_vaddr  = HasL2 ? vaddr_q : req_vaddr;
  assign walk_access = HasL2 ? access_q : req_access_i;
  assign walk_priv_s = HasL2 ? priv_s_q : req_priv_s_i;

  logic [mmu_pkg::LEVEL_W-1:0] ptw_pwc_start;
  mmu_ptw #(
    .Sv32        (Sv32),
    .Pwc1Entries (Pwc1Entries), .Pwc1Policy (Pwc1Policy),
    .Pwc2Entries (Pwc2Entries), .Pwc2Policy (Pwc2Policy),
    .Pwc3Entries (Pwc3Entries), .Pwc3Policy (Pwc3Policy),
    .Pwc4Entries (Pwc4Entries), .Pwc4Policy (Pwc4Policy)
  ) u_ptw (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .start_i         (ptw_start),
    .vaddr_i         (walk_vaddr),
    .access_i        (walk_access),
    .priv_s_i        (walk_priv_s),
    .sum_i           (sum_i),
    .mxr_i           (mxr_i),
    .adue_i          (adue_i),
    .satp_mode_i     (satp_mode),
    .satp_asid_i     (satp_asid),
    .satp_ppn_i      (satp_ppn),
    .flush_i         (flush_i),
    .flush_vaddr_valid_i (flush_vaddr_valid_i),
    .flush_vpn_i     (flush_vpn),
    .flush_asid_valid_i  (flush_asid_valid_i),
    .flush_asid_i    (flush_asid_i),
    .busy_o          (ptw_busy),
    .pwc_start_o     (ptw_pwc_start),
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

  // --------------------------------------------------------------------------
  // Request tracking and the registered response
  // --------------------------------------------------------------------------
  logic            resp_valid_d, resp_valid_q;
  logic [mmu_pkg::PLEN-1:0] resp_paddr_d, resp_paddr_q;
  logic            resp_fault_d, resp_fault_q;
  mmu_pkg::cause_e          resp_cause_d, resp_cause_q;
  logic            resp_hit_d, resp_hit_q;
  logic            resp_l2_d, resp_l2_q;

  always_comb begin
    state_d      = state_q;
    l2_wait_d    = l2_wait_q;
    resp_valid_d = 1'b0;
    resp_paddr_d = resp_paddr_q;
    resp_fault_d = resp_fault_q;
    resp_cause_d = resp_cause_q;
    resp_hit_d   = 1'b0;
    resp_l2_d    = 1'b0;
    unique case (state_q)
      TOP_L2: begin
        if (l2_wait_q != '0) begin
          l2_wait_d = l2_wait_q - 8'd1;
        end else if (l2_usable) begin
          state_d      = TOP_IDLE;
          resp_valid_d = 1'b1;
          resp_paddr_d = mmu_pkg::leaf_paddr(l2_entry.ppn, l2_entry.level, l2_entry.napot, Sv32, vaddr_q[mmu_pkg::PLEN-1:0]);
          resp_fault_d = 1'b0;
          resp_cause_d = mmu_pkg::CAUSE_NONE;
          resp_hit_d   = 1'b1;
          resp_l2_d    = 1'b1;
        end else begin
          state_d = TOP_WALK;
        end
      end
      TOP_WALK: begin
        if (ptw_done) begin
          state_d      = TOP_IDLE;
          resp_valid_d = 1'b1;
          resp_paddr_d = ptw_paddr;
          resp_fault_d = ptw_fault;
          resp_cause_d = ptw_cause;
        end
      end
      default: begin  // TOP_IDLE
        if (accept) begin
          if (bare) begin
            resp_valid_d = 1'b1;
            resp_paddr_d = req_vaddr[mmu_pkg::PLEN-1:0];
            resp_fault_d = req_vaddr[mmu_pkg::VLEN-1:mmu_pkg::PLEN] != '0;
            resp_cause_d = mmu_pkg::access_fault_cause(req_access_i);
          end else if (l1_usable) begin
            resp_valid_d = 1'b1;
            resp_paddr_d = mmu_pkg::leaf_paddr(l1_entry.ppn, l1_entry.level, l1_entry.napot, Sv32, req_vaddr[mmu_pkg::PLEN-1:0]);
            resp_fault_d = 1'b0;
            resp_cause_d = mmu_pkg::CAUSE_NONE;
            resp_hit_d   = 1'b1;
          end else if (HasL2) begin
            state_d   = TOP_L2;
            l2_wait_d = 8'(L2Latency - 1);
          end else begin
            state_d = TOP_WALK;
          end
        end
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= TOP_IDLE;
      l2_wait_q    <= '0;
      l1_hit_q     <= 1'b0;
      l2_hit_q     <= 1'b0;
      resp_valid_q <= 1'b0;
      resp_paddr_q <= '0;
      resp_fault_q <= 1'b0;
      resp_cause_q <= mmu_pkg::CAUSE_NONE;
      resp_hit_q   <= 1'b0;
      resp_l2_q    <= 1'b0;
    end else begin
      state_q      <= state_d;
      l2_wait_q    <= l2_wait_d;
      resp_valid_q <= resp_valid_d;
      resp_paddr_q <= resp_paddr_d;
      resp_fault_q <= resp_fault_d;
      resp_cause_q <= resp_cause_d;
      resp_hit_q   <= resp_hit_d;
      resp_l2_q    <= resp_l2_d;
      // The entry that hit may be gone after an sfence: nothing to overwrite.
      if (accept)       l1_hit_q <= l1_hit;
      else if (flush_i) l1_hit_q <= 1'b0;
      if (l2_lookup)    l2_hit_q <= l2_hit;
      else if (flush_i) l2_hit_q <= 1'b0;
    end
  end
  // The held request (read only after its accept): no reset needed.
  always_ff @(posedge clk_i) begin
    if (accept) begin
      vaddr_q      <= req_vaddr;
      access_q     <= req_access_i;
      priv_s_q     <= req_priv_s_i;
      fetch_side_q <= fetch_side;
      l1_hit_idx_q <= l1_hit_idx;
    end
    if (l2_lookup) l2_hit_idx_q <= l2_hit_idx;
  end

  // Address bits outside the VPN, the TLB fields the hit paths do not use,
  // and the walker's busy flag (used by assertions) are left unread.
  logic unused_ok;
  assign unused_ok = ^{flush_vaddr[mmu_pkg::VLEN-1:mmu_pkg::PAGE_SHIFT+mmu_pkg::VPN_W],
                       flush_vaddr[mmu_pkg::PAGE_SHIFT-1:0],
                       l1_entry.vpn, l1_entry.asid, l1_entry.global, ptw_busy,
                       l2_hit_q, l2_hit_idx_q, held_vpn,  // these three: without an L2
                       ptw_pwc_start};  // read by the covers

  assign resp_valid_o   = resp_valid_q;
  assign resp_paddr_o   = resp_paddr_q;
  assign resp_fault_o   = resp_fault_q;
  assign resp_cause_o   = resp_cause_q;
  assign resp_tlb_hit_o = resp_hit_q;
  assign resp_l2_hit_o  = resp_l2_q;

  // Checks (see mmu_assert.svh): on in the test build (-DVMSIM_ASSERT) and
  // under make formal. A failure stops the run: the driver reports the
  // assertion's name and the cycle. Each one is made to fire on purpose in
  // tests/rtl/test_assertions.cpp.
  //
  // The walker is busy exactly while the top tracks a walk.
  `MMU_ASSERT(WalkTracked, (state_q == TOP_WALK) == ptw_busy,
              ("mmu_top: walker busy=%0d disagrees with request tracking %0d", ptw_busy, state_q))
  // Requester protocol: satp is written only between requests, never under
  // a walk nor in the cycle a request is accepted (the walk would start in
  // one address space and finish in another).
  `MMU_ASSUME(NoSatpWriteInWalk, !(satp_we_i && (state_q != TOP_IDLE || accept)),
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
  `MMU_COVER(RewalkAfterHit, ptw_start && (HasL2 ? l2_hit : l1_hit))
  if (HasL2) begin : gen_l2_covers
    `MMU_COVER(L2HitServed, resp_valid_o && resp_l2_hit_o)
    `MMU_COVER(L2MissWalks, l2_lookup && !l2_hit)
  end
  `MMU_COVER(WalkFromPwc, ptw_start && ptw_pwc_start != '0)
  if (HasItlb) begin : gen_itlb_covers
    `MMU_COVER(ItlbHitServed, accept && fetch_side && l1_usable)
  end
`endif

endmodule
