// mmu_ptw: one hardware page-table walker for Sv39, Sv48 and Sv57, or for
// Sv32 in the RV32 build (Sv32 = 1). mmu_top instantiates Walkers of them.
//
// One walk at a time. start_i launches a walk for vaddr_i; done_o then stays
// high, with either a fault (fault_o, cause_o) or a leaf (entry_o, paddr_o),
// until the top takes the result (retire_i; with one walker, the same cycle).
// refill_o qualifies entry_o for the TLB: it is low when an sfence (flush_i)
// arrived during the walk, since the PTEs read may already be stale.
//
// Memory port: one outstanding request per walker; a read returns a PTE, a
// write (Svadu) stores the PTE with A (and D on a store) set. The walker
// issues that write right after the read. The memory serves requests in the
// order it takes them, so the update is atomic unless another walker wrote
// the same PTE between this walker's read and its write: the walker watches
// the port for that (snoop_write_i: another walker's write taken this cycle)
// and, if it happened, reads the PTE again instead of writing, as a
// load-reserved/store-conditional pair would. (The guest runtime changes no
// PTE while a translation is in flight.) A PTE read or write that the memory
// rejects (mem_rsp_error_i) is an access fault of the original access type,
// as in Spike.
//
// Page-walk caches (mmu_pwc, shared by the walkers): with start_i comes the
// lowest level whose cache holds the pointer for vaddr_i (pwc_start_i, 0:
// none); the walk then begins in the table it names, below that level, else
// at the root. Every pointer PTE the walk follows is offered back
// (pwc_fill_o), except from a walk an sfence made stale.
`include "mmu_assert.svh"

module mmu_ptw
#(
  parameter bit Sv32 = 1'b0  // RV32 build: Sv32 walks, 4-byte PTEs, 10-bit indices
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic               start_i,
  input  logic [mmu_pkg::VLEN-1:0]    vaddr_i,
  input  mmu_pkg::access_e            access_i,
  input  logic               priv_s_i,
  input  logic               sum_i,
  input  logic               mxr_i,
  input  logic               adue_i,     // Svadu: hardware A/D updates
  input  mmu_pkg::satp_mode_e         satp_mode_i,
  input  logic [mmu_pkg::ASID_W-1:0]  satp_asid_i,
  input  logic [mmu_pkg::PPN_W-1:0]   satp_ppn_i,
  input  logic               flush_i,    // an sfence: this walk's PTEs may be stale

  // With start_i: the lowest level whose page-walk cache holds the pointer
  // (0: none), the table it names, and G on the path to it (mmu_pwc).
  input  logic [mmu_pkg::LEVEL_W-1:0] pwc_start_i,
  input  logic [mmu_pkg::PPN_W-1:0]   pwc_ppn_i,
  input  logic               pwc_global_i,
  // A pointer PTE this walk follows, for the page-walk cache of its level.
  output logic               pwc_fill_o,
  output mmu_pkg::tlb_entry_t         pwc_fill_entry_o,
  input  logic               retire_i,   // the top takes the result this cycle (done_o)

  input  logic               snoop_write_i,  // another walker's PTE write is taken this cycle
  input  logic [mmu_pkg::PLEN-1:0]    snoop_addr_i,

  output logic               busy_o,
  output logic               done_o,
  output logic [2:0]         reads_o,    // PTE reads this walk made (7: seven or more)
  output logic               fault_o,
  output mmu_pkg::cause_e             cause_o,
  output logic               refill_o,
  output mmu_pkg::tlb_entry_t         entry_o,
  output logic [mmu_pkg::PLEN-1:0]    paddr_o,

  output logic               mem_req_valid_o,
  input  logic               mem_req_ready_i,
  output logic [mmu_pkg::PLEN-1:0]    mem_req_addr_o,
  output logic               mem_req_we_o,
  output logic [63:0]        mem_req_wdata_o,
  input  logic               mem_rsp_valid_i,
  input  logic [63:0]        mem_rsp_rdata_i,
  input  logic               mem_rsp_error_i
);

  typedef enum logic [2:0] {
    IDLE, READ_REQ, READ_WAIT, WRITE_REQ, WRITE_WAIT, DONE
  } state_e;

  state_e             state_d, state_q;
  logic [mmu_pkg::VLEN-1:0]    vaddr_d, vaddr_q;
  mmu_pkg::access_e            access_d, access_q;
  logic               priv_s_d, priv_s_q;
  logic [mmu_pkg::LEVEL_W-1:0] level_d, level_q;
  logic [mmu_pkg::PPN_W-1:0]   base_d, base_q;       // PPN of the table being read
  logic [63:0]        pte_d, pte_q;
  logic               global_d, global_q;   // G seen on the path so far
  logic               fault_d, fault_q;
  mmu_pkg::cause_e             cause_d, cause_q;
  logic               stale_d, stale_q;     // flushed during the walk
  logic               clobbered_d, clobbered_q;  // another walker wrote the PTE this walker read
  logic [2:0]         reads_d, reads_q;     // PTE reads issued by this walk, saturating

  // Levels of the walk for the current mode, and the canonical check.
  logic [mmu_pkg::LEVEL_W-1:0] top_level;
  logic               canonical;
  assign top_level = mmu_pkg::root_level(satp_mode_i);
  assign canonical = mmu_pkg::va_canonical(satp_mode_i, vaddr_i[63:38]);

  // Address of the PTE for the current level.
  logic [mmu_pkg::VPN_W-1:0] vpn;
  logic [mmu_pkg::PLEN-1:0]  pte_offset;  // byte offset of this level's PTE in its table
  assign vpn = vaddr_q[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W];
  if (Sv32) begin : gen_sv32_index
    logic [9:0] vpn_idx;
    assign vpn_idx    = vpn[level_q * 10 +: 10];
    assign pte_offset = mmu_pkg::PLEN'({vpn_idx, 2'b00});
  end else begin : gen_sv39_index
    logic [mmu_pkg::IDX_W-1:0] vpn_idx;
    assign vpn_idx    = vpn[level_q * mmu_pkg::IDX_W +: mmu_pkg::IDX_W];
    assign pte_offset = mmu_pkg::PLEN'({vpn_idx, 3'b000});
  end

  // Sv32 PTEs are 32 bits: the upper half of the data bus is not part of them.
  logic [63:0] rsp_pte;
  assign rsp_pte = Sv32 ? {32'b0, mem_rsp_rdata_i[31:0]} : mem_rsp_rdata_i;

  // Classify the PTE as it arrives.
  logic chk_fault, chk_pointer, chk_needs_ad;
  mmu_pte_check #(.Sv32(Sv32)) u_check (
    .valid_i    (mem_rsp_valid_i && state_q == READ_WAIT),
    .pte_i      (rsp_pte),
    .level_i    (level_q),
    .access_i   (access_q),
    .priv_s_i   (priv_s_q),
    .sum_i      (sum_i),
    .mxr_i      (mxr_i),
    .fault_o    (chk_fault),
    .pointer_o  (chk_pointer),
    .needs_ad_o (chk_needs_ad)
  );

  logic [63:0] ad_bits;
  assign ad_bits = (64'd1 << mmu_pkg::PTE_A) | ((access_q == mmu_pkg::ACCESS_STORE) ? (64'd1 << mmu_pkg::PTE_D) : 64'd0);

  // A pointer the walk follows, for its level's page-walk cache (mmu_pwc).
  assign pwc_fill_o = state_q == READ_WAIT && mem_rsp_valid_i && !mem_rsp_error_i && !chk_fault
                      && chk_pointer && !stale_q && !flush_i;
  always_comb begin
    pwc_fill_entry_o        = '0;
    pwc_fill_entry_o.vpn    = vpn;
    pwc_fill_entry_o.level  = level_q;
    pwc_fill_entry_o.asid   = satp_asid_i;
    pwc_fill_entry_o.global = global_q || rsp_pte[mmu_pkg::PTE_G];
    pwc_fill_entry_o.ppn    = rsp_pte[mmu_pkg::PTE_PPN_LSB +: mmu_pkg::PPN_W];
  end

  // Another walker's write of the PTE this one has read and may write back.
  logic clobbered;
  assign clobbered   = clobbered_q || (snoop_write_i && snoop_addr_i == mem_req_addr_o);
  assign clobbered_d = (state_q == READ_WAIT || state_q == WRITE_REQ) && clobbered
                       && !(state_q == READ_WAIT && mem_rsp_valid_i);

  always_comb begin
    state_d  = state_q;
    vaddr_d  = vaddr_q;
    access_d = access_q;
    priv_s_d = priv_s_q;
    level_d  = level_q;
    base_d   = base_q;
    pte_d    = pte_q;
    global_d = global_q;
    fault_d  = fault_q;
    cause_d  = cause_q;
    stale_d  = stale_q || flush_i;
    reads_d  = (state_q == READ_REQ && mem_req_ready_i && reads_q != 3'd7) ? reads_q + 3'd1 : reads_q;

    unique case (state_q)
      IDLE: begin
        stale_d = 1'b0;
        reads_d = '0;
        if (start_i) begin
          vaddr_d  = vaddr_i;
          access_d = access_i;
          priv_s_d = priv_s_i;
          level_d  = top_level;
          base_d   = satp_ppn_i;
          global_d = 1'b0;
          fault_d  = 1'b0;
          cause_d  = mmu_pkg::CAUSE_NONE;
          if (!canonical) begin
            fault_d = 1'b1;
            cause_d = mmu_pkg::page_fault_cause(access_i);
            state_d = DONE;
          end else if (pwc_start_i != '0) begin  // begin below the cached pointer
            level_d  = pwc_start_i - 3'd1;
            base_d   = pwc_ppn_i;
            global_d = pwc_global_i;
            state_d  = READ_REQ;
          end else begin
            state_d = READ_REQ;
          end
        end
      end
      READ_REQ:  if (mem_req_ready_i) state_d = READ_WAIT;
      READ_WAIT: begin
        if (mem_rsp_valid_i) begin
          pte_d = rsp_pte;
          if (mem_rsp_error_i) begin
            fault_d = 1'b1;
            cause_d = mmu_pkg::access_fault_cause(access_q);
            state_d = DONE;
          end else if (chk_fault || (chk_needs_ad && !adue_i)) begin
            fault_d = 1'b1;
            cause_d = mmu_pkg::page_fault_cause(access_q);
            state_d = DONE;
          end else if (chk_pointer) begin
            global_d = global_q || rsp_pte[mmu_pkg::PTE_G];
            base_d   = rsp_pte[mmu_pkg::PTE_PPN_LSB +: mmu_pkg::PPN_W];
            level_d  = level_q - 3'd1;
            state_d  = READ_REQ;
          end else if (chk_needs_ad && clobbered) begin
            state_d = READ_REQ;  // the value read is stale: read it again
          end else if (chk_needs_ad) begin
            pte_d   = rsp_pte | ad_bits;
            state_d = WRITE_REQ;
          end else begin
            state_d = DONE;
          end
        end
      end
      WRITE_REQ: begin
        if (clobbered)            state_d = READ_REQ;  // not granted this cycle (the other walker was)
        else if (mem_req_ready_i) state_d = WRITE_WAIT;
      end
      WRITE_WAIT: begin
        if (mem_rsp_valid_i) begin
          if (mem_rsp_error_i) begin
            fault_d = 1'b1;
            cause_d = mmu_pkg::access_fault_cause(access_q);
          end
          state_d = DONE;
        end
      end
      DONE:    if (retire_i) state_d = IDLE;
      default: state_d = IDLE;
    endcase
  end

  // Memory requests.
  always_comb begin
    mem_req_valid_o = state_q == READ_REQ || (state_q == WRITE_REQ && !clobbered_q);
    mem_req_we_o    = state_q == WRITE_REQ;
    mem_req_wdata_o = pte_q;
    mem_req_addr_o  = {base_q, mmu_pkg::PAGE_SHIFT'(0)} + pte_offset;
  end

  // Result: the leaf as a TLB entry, and the physical address. For a
  // superpage or napot page the low PPN bits come from the VPN.
  logic [mmu_pkg::PPN_W-1:0] leaf_ppn, offset_mask, pa_ppn;
  logic             leaf_napot;
  assign leaf_ppn    = pte_q[mmu_pkg::PTE_PPN_LSB +: mmu_pkg::PPN_W];
  assign leaf_napot  = pte_q[mmu_pkg::PTE_N];
  assign offset_mask = mmu_pkg::PPN_W'(mmu_pkg::vpn_offset_mask(level_q, leaf_napot, Sv32));
  assign pa_ppn      = (leaf_ppn & ~offset_mask) | (vpn[mmu_pkg::PPN_W-1:0] & offset_mask);

  always_comb begin
    entry_o        = '0;
    entry_o.vpn    = vpn;
    entry_o.level  = level_q;
    entry_o.napot  = leaf_napot;
    entry_o.asid   = satp_asid_i;
    entry_o.global = global_q || pte_q[mmu_pkg::PTE_G];
    entry_o.ppn    = leaf_ppn;
    entry_o.r      = pte_q[mmu_pkg::PTE_R];
    entry_o.w      = pte_q[mmu_pkg::PTE_W];
    entry_o.x      = pte_q[mmu_pkg::PTE_X];
    entry_o.u      = pte_q[mmu_pkg::PTE_U];
    entry_o.d      = pte_q[mmu_pkg::PTE_D];
  end

  assign busy_o   = state_q != IDLE;
  assign reads_o  = reads_q;
  assign done_o   = state_q == DONE;
  assign fault_o  = fault_q;
  assign cause_o  = cause_q;
  assign refill_o = done_o && !fault_q && !stale_q && !flush_i;
  assign paddr_o  = {pa_ppn, vaddr_q[mmu_pkg::PAGE_SHIFT-1:0]};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= IDLE;
      vaddr_q  <= '0;
      access_q <= mmu_pkg::ACCESS_LOAD;
      priv_s_q <= 1'b0;
      level_q  <= '0;
      base_q   <= '0;
      pte_q    <= '0;
      global_q <= 1'b0;
      fault_q  <= 1'b0;
      cause_q  <= mmu_pkg::CAUSE_NONE;
      stale_q  <= 1'b0;
      clobbered_q <= 1'b0;
      reads_q  <= '0;
    end else begin
      state_q  <= state_d;
      vaddr_q  <= vaddr_d;
      access_q <= access_d;
      priv_s_q <= priv_s_d;
      level_q  <= level_d;
      base_q   <= base_d;
      pte_q    <= pte_d;
      global_q <= global_d;
      fault_q  <= fault_d;
      cause_q  <= cause_d;
      stale_q  <= stale_d;
      clobbered_q <= clobbered_d;
      reads_q  <= reads_d;
    end
  end

  // The memory answers only a request it was given (a protocol rule: an
  // assumption under make formal, checked against the memory in simulation).
  `MMU_ASSUME(RspOnlyWhenWaiting, !mem_rsp_valid_i || state_q == READ_WAIT || state_q == WRITE_WAIT,
              ("mmu_ptw: memory response with no request outstanding (state %0d)", state_q))
  // A walk ends in the address space it began in: its leaf is filled under
  // the ASID and read from the tables of the satp it started with. This is
  // what the requester's protocol (NoSatpWriteInWalk in mmu_top) buys; make
  // formal without that rule finds the walk that breaks it.
`ifdef MMU_CHECKS_ON
  logic [mmu_pkg::ASID_W-1:0] start_asid_q;
  mmu_pkg::satp_mode_e        start_mode_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      start_asid_q <= '0;
      start_mode_q <= mmu_pkg::SATP_MODE_BARE;
    end else if (state_q == IDLE && start_i) begin
      start_asid_q <= satp_asid_i;
      start_mode_q <= satp_mode_i;
    end
  end
  `MMU_ASSERT(WalkInOneSpace, !done_o || (satp_asid_i == start_asid_q && satp_mode_i == start_mode_q),
              ("mmu_ptw: a walk begun in ASID %0d mode %0d ends in ASID %0d mode %0d", start_asid_q, start_mode_q,
               satp_asid_i, satp_mode_i))
`endif
  `MMU_ASSERT(StartOnlyWhenIdle, !start_i || state_q == IDLE,
              ("mmu_ptw: start while a walk is in progress"))
  `MMU_ASSERT(StateLegal, state_q == IDLE || state_q == READ_REQ || state_q == READ_WAIT
                          || state_q == WRITE_REQ || state_q == WRITE_WAIT || state_q == DONE,
              ("mmu_ptw: illegal state %0d", state_q))

  // Every walk outcome can happen (covers, for make formal): a leaf at each
  // level the mode allows, a napot leaf, each fault, an A/D write-back, and
  // a walk an sfence made stale.
`ifdef MMU_CHECKS_ON
  logic leaf_done;
  assign leaf_done = done_o && !fault_q;
  `MMU_COVER(WalkLeaf0, leaf_done && level_q == 3'd0)
  `MMU_COVER(WalkLeaf1, leaf_done && level_q == 3'd1)
  if (!Sv32) begin : gen_deep_leaf_covers
    `MMU_COVER(WalkLeaf2, leaf_done && level_q == 3'd2)
    `MMU_COVER(WalkLeaf3, leaf_done && level_q == 3'd3)
    `MMU_COVER(WalkLeaf4, leaf_done && level_q == 3'd4)
  end
  logic wrote_ad_q;  // this walk wrote A/D back
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                 wrote_ad_q <= 1'b0;
    else if (state_q == IDLE)    wrote_ad_q <= 1'b0;
    else if (state_q == WRITE_REQ) wrote_ad_q <= 1'b1;
  end
  if (!Sv32) begin : gen_napot_cover  // Sv32 PTEs have no N bit
    `MMU_COVER(WalkNapotLeaf, leaf_done && leaf_napot)
  end
  // The longest walk: every level of the widest mode, then an A/D write-back
  // (make formal's depth is chosen to reach it).
  `MMU_COVER(WalkLongest, leaf_done && wrote_ad_q && level_q == '0
                          && satp_mode_i == (Sv32 ? mmu_pkg::SATP_MODE_SV32 : mmu_pkg::SATP_MODE_SV57))
  `MMU_COVER(WalkAdWriteBack, leaf_done && wrote_ad_q)
  `MMU_COVER(WalkPteFault, state_q == READ_WAIT && mem_rsp_valid_i && !mem_rsp_error_i && chk_fault)
  if (!Sv32) begin : gen_canonical_cover  // 32-bit addresses are all canonical
    `MMU_COVER(WalkNonCanonical, start_i && !canonical)
  end
  `MMU_COVER(WalkSvadeFault, state_q == READ_WAIT && mem_rsp_valid_i && !mem_rsp_error_i
                             && !chk_fault && chk_needs_ad && !adue_i)
  `MMU_COVER(WalkAccessFault, done_o && fault_q && cause_q == mmu_pkg::access_fault_cause(access_q))
  `MMU_COVER(WalkWriteAccessFault, state_q == WRITE_WAIT && mem_rsp_valid_i && mem_rsp_error_i)
  `MMU_COVER(WalkStale, done_o && !fault_q && !refill_o)
`endif

endmodule
