// mmu_ptw: hardware page-table walker for Sv39, Sv48 and Sv57, or for Sv32
// in the RV32 build (Sv32 = 1).
//
// One walk at a time. start_i launches a walk for vaddr_i; done_o pulses for
// one cycle with either a fault (fault_o, cause_o) or a leaf (entry_o, paddr_o).
// refill_o qualifies entry_o for the TLB: it is low when an sfence (flush_i)
// arrived during the walk, since the PTEs read may already be stale.
//
// Memory port: one outstanding request; a read returns a PTE, a write (Svadu)
// stores the PTE with A (and D on a store) set. The walker issues that write
// right after the read, and the memory model serves both before anything else
// touches memory, so the update is atomic with respect to the guest runtime.
// A PTE read or write that the memory rejects (mem_rsp_error_i) is an access
// fault of the original access type, as in Spike.
//
// Page-walk caches (PwcNEntries > 0, N = 1..4; Sv32 has only N = 1): the
// cache of level N holds pointer PTEs read at level N, that is the base of a
// level N-1 table, tagged like a level-N superpage (the VPN bits above level
// N's offset), with the ASID and the G bit seen on the path down to it. Each
// is an mmu_tlb of one set (fully associative, PwcNPolicy). When a walk
// starts, every cache of a level the mode has looks up at once; the walk
// begins below the lowest level that hit (touching that entry only), from
// the table it names, else at the root. Every pointer the walk then follows
// fills its level's cache (those levels all missed, so nothing is
// duplicated). An sfence flushes the caches by the TLB's rules: an address
// fence removes the entries whose tag covers the address (stricter than the
// spec asks: it lets software fence a changed pointer by address), an ASID
// fence spares global ones. A walk an sfence made stale fills nothing more.
`include "mmu_assert.svh"

module mmu_ptw
#(
  parameter bit          Sv32        = 1'b0,  // RV32 build: Sv32 walks, 4-byte PTEs, 10-bit indices
  parameter int unsigned Pwc1Entries = 0,     // page-walk cache per level: entries (0: none), a power of two
  parameter int unsigned Pwc1Policy  = 0,     // and replacement policy (mmu_pkg::REPL_*)
  parameter int unsigned Pwc2Entries = 0,
  parameter int unsigned Pwc2Policy  = 0,
  parameter int unsigned Pwc3Entries = 0,
  parameter int unsigned Pwc3Policy  = 0,
  parameter int unsigned Pwc4Entries = 0,
  parameter int unsigned Pwc4Policy  = 0
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
  input  logic               flush_i,
  input  logic               flush_vaddr_valid_i,
  input  logic [mmu_pkg::VPN_W-1:0]   flush_vpn_i,
  input  logic               flush_asid_valid_i,
  input  logic [mmu_pkg::ASID_W-1:0]  flush_asid_i,

  output logic               busy_o,
  output logic [mmu_pkg::LEVEL_W-1:0] pwc_start_o,  // with start_i: the level whose PWC hit (0: none)
  output logic               done_o,
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

  // Levels of the walk for the current mode, and the canonical check.
  logic [mmu_pkg::LEVEL_W-1:0] top_level;
  logic               canonical;
  always_comb begin
    unique case (satp_mode_i)
      mmu_pkg::SATP_MODE_SV32: top_level = 3'd1;
      mmu_pkg::SATP_MODE_SV48: top_level = 3'd3;
      mmu_pkg::SATP_MODE_SV57: top_level = 3'd4;
      default:        top_level = 3'd2;  // Sv39
    endcase
  end
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

  // Page-walk caches (see the header): looked up when a walk starts, filled
  // by each pointer the walk follows.
  localparam int unsigned EntryW = mmu_pkg::TLB_ENTRY_W;
  localparam int unsigned MaxPwcLevel = Sv32 ? 1 : 4;
  logic [4:1]            pwc_hit;
  logic [4*EntryW-1:0]   pwc_entries;  // level L's hit at [(L-1)*EntryW +: EntryW]
  logic [mmu_pkg::LEVEL_W-1:0] pwc_start;  // the lowest level that hit, 0: none
  logic [mmu_pkg::PPN_W-1:0]   pwc_ppn;    // its table
  logic                  pwc_global;       // G on the path to it
  logic                  pwc_lookup, pwc_fill;
  mmu_pkg::tlb_entry_t   pwc_fill_entry;
  assign pwc_lookup = state_q == IDLE && start_i && canonical;
  // The caches see the address only while a walk starts: between walks their
  // inputs stay still, so a simulator need not re-evaluate them on TLB hits.
  logic [mmu_pkg::VPN_W-1:0] pwc_vpn;
  assign pwc_vpn = pwc_lookup ? vaddr_i[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W] : '0;
  for (genvar L = 1; L <= 4; L++) begin : gen_pwc
    localparam int unsigned Entries = (L == 1) ? Pwc1Entries : (L == 2) ? Pwc2Entries
                                    : (L == 3) ? Pwc3Entries : Pwc4Entries;
    localparam int unsigned Policy  = (L == 1) ? Pwc1Policy : (L == 2) ? Pwc2Policy
                                    : (L == 3) ? Pwc3Policy : Pwc4Policy;
    localparam int unsigned IdxW = (Entries > 1) ? $clog2(Entries) : 1;
    if (Entries > 0 && L <= MaxPwcLevel) begin : gen_cache
      logic            hit;
      logic [IdxW-1:0] hit_idx;
      mmu_tlb #(.Sets(1), .Ways(Entries), .Policy(Policy), .SuperEntries(0), .Sv32(Sv32)) u_pwc (
        .clk_i               (clk_i),
        .rst_ni              (rst_ni),
        .lookup_i            (pwc_lookup && 3'(L) <= top_level),
        .vpn_i               (pwc_vpn),
        .asid_i              (satp_asid_i),
        .hit_o               (hit),
        .hit_idx_o           (hit_idx),
        .entry_o             (pwc_entries[(L-1)*EntryW +: EntryW]),
        .touch_i             (pwc_lookup && pwc_start == 3'(L)),
        .refill_i            (pwc_fill && level_q == 3'(L)),
        .refill_at_hit_i     (1'b0),
        .refill_hit_idx_i    (hit_idx),
        .refill_entry_i      (pwc_fill_entry),
        .flush_i             (flush_i),
        .flush_vaddr_valid_i (flush_vaddr_valid_i),
        .flush_vpn_i         (flush_vpn_i),
        .flush_asid_valid_i  (flush_asid_valid_i),
        .flush_asid_i        (flush_asid_i)
      );
      assign pwc_hit[L] = hit;
    end else begin : gen_none
      assign pwc_hit[L] = 1'b0;
      assign pwc_entries[(L-1)*EntryW +: EntryW] = '0;
    end
  end
  // The lowest level that hit: the walk starts in the table it names.
  mmu_pkg::tlb_entry_t pwc_entry;
  always_comb begin
    pwc_start = '0;
    for (int unsigned l = 4; l >= 1; l--) begin
      if (pwc_hit[l]) pwc_start = mmu_pkg::LEVEL_W'(l);
    end
  end
  // The slot of that level, 0 when none hit: the part-select's index stays in
  // range either way (a simulator computes both arms of the ?:, and an index
  // out of range would read past the vector in Verilator's C++).
  logic [1:0] pwc_slot;
  assign pwc_slot   = (pwc_start == '0) ? 2'd0 : 2'(pwc_start - 3'd1);
  assign pwc_entry  = (pwc_start == '0) ? '0 : pwc_entries[32'(pwc_slot) * EntryW +: EntryW];
  assign pwc_ppn    = pwc_entry.ppn;
  assign pwc_global = pwc_entry.global;
  logic unused_pwc_entry;  // a pointer has no rights; its tag was compared in the cache
  assign unused_pwc_entry = ^{pwc_entry.vpn, pwc_entry.level, pwc_entry.napot, pwc_entry.asid,
                              pwc_entry.r, pwc_entry.w, pwc_entry.x, pwc_entry.u, pwc_entry.d};
  assign pwc_start_o = pwc_start;
  logic unused_flush;  // read only by the caches (and covers) a build has
  assign unused_flush = ^{flush_vaddr_valid_i, flush_vpn_i, flush_asid_valid_i, flush_asid_i,
                         pwc_lookup, pwc_fill, pwc_fill_entry, pwc_vpn};

  // A pointer the walk follows, for its level's cache.
  assign pwc_fill = state_q == READ_WAIT && mem_rsp_valid_i && !mem_rsp_error_i && !chk_fault
                    && chk_pointer && !stale_q && !flush_i;
  always_comb begin
    pwc_fill_entry        = '0;
    pwc_fill_entry.vpn    = vpn;
    pwc_fill_entry.level  = level_q;
    pwc_fill_entry.asid   = satp_asid_i;
    pwc_fill_entry.global = global_q || rsp_pte[mmu_pkg::PTE_G];
    pwc_fill_entry.ppn    = rsp_pte[mmu_pkg::PTE_PPN_LSB +: mmu_pkg::PPN_W];
  end

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

    unique case (state_q)
      IDLE: begin
        stale_d = 1'b0;
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
          end else if (pwc_start != '0) begin  // begin below the cached pointer
            level_d  = pwc_start - 3'd1;
            base_d   = pwc_ppn;
            global_d = pwc_global;
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
          end else if (chk_needs_ad) begin
            pte_d   = rsp_pte | ad_bits;
            state_d = WRITE_REQ;
          end else begin
            state_d = DONE;
          end
        end
      end
      WRITE_REQ: if (mem_req_ready_i) state_d = WRITE_WAIT;
      WRITE_WAIT: begin
        if (mem_rsp_valid_i) begin
          if (mem_rsp_error_i) begin
            fault_d = 1'b1;
            cause_d = mmu_pkg::access_fault_cause(access_q);
          end
          state_d = DONE;
        end
      end
      DONE:    state_d = IDLE;
      default: state_d = IDLE;
    endcase
  end

  // Memory requests.
  always_comb begin
    mem_req_valid_o = state_q == READ_REQ || state_q == WRITE_REQ;
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
    end
  end

  // The memory answers only a request it was given (a protocol rule: an
  // assumption under make formal, checked against the memory in simulation).
  `MMU_ASSUME(RspOnlyWhenWaiting, !mem_rsp_valid_i || state_q == READ_WAIT || state_q == WRITE_WAIT,
              ("mmu_ptw: memory response with no request outstanding (state %0d)", state_q))
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
  // Each page-walk cache serves a walk (one name per level: Yosys 0.23 wants
  // assertion names unique across generate scopes).
  if (Pwc1Entries > 0) begin : gen_pwc1_cover
    `MMU_COVER(PwcHit1, pwc_lookup && pwc_start == 3'd1)
  end
  if (Pwc2Entries > 0 && !Sv32) begin : gen_pwc2_cover
    `MMU_COVER(PwcHit2, pwc_lookup && pwc_start == 3'd2)
  end
  if (Pwc3Entries > 0 && !Sv32) begin : gen_pwc3_cover
    `MMU_COVER(PwcHit3, pwc_lookup && pwc_start == 3'd3)
  end
  if (Pwc4Entries > 0 && !Sv32) begin : gen_pwc4_cover
    `MMU_COVER(PwcHit4, pwc_lookup && pwc_start == 3'd4)
  end
`endif

endmodule
