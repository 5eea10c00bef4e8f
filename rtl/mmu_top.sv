// mmu_top: RISC-V MMU — the TLB hierarchy plus hardware page-table walkers.
//
// Ports
// - Control: satp (written whole, RISC-V RV64 layout), SUM/MXR from sstatus,
//   Svadu enable (menvcfg.ADUE), and sfence.vma as a one-cycle flush_i with
//   optional address and ASID (the four architectural forms).
// - Translation: req_valid_i/req_ready_o handshake for (id, vaddr, access,
//   priv); exactly one resp_valid_o pulse, carrying the request's id, follows
//   each accepted request: one cycle later on an L1 hit, after the L2 or the
//   walk on a miss. Up to Slots requests may be outstanding, and responses
//   leave in the order they are ready, not the order asked (hit-under-miss).
//   The requester must accept each response.
// - Memory: the walkers' PTE reads and Svadu write-backs, one request per
//   cycle, any number outstanding, answered in order.
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
// Outstanding translations (Slots request slots, Walkers walkers; both 1:
// one translation at a time, the timing of a blocking MMU). Each accepted
// request takes a slot (mmu_req_slot) until its response leaves. In one
// cycle at most one of these uses the TLBs, in this priority: a walker
// retires (its leaf fills the L1 its request used and the L2), the L2 looks
// up a slot whose latency passed (a hit fills the L1), or a request is
// accepted (req_ready_o is low in the other two cases, and when no slot is
// free). An L1 miss (or a hit it cannot use) whose VPN equals that of a
// slot still waiting for the L2 or a walk, on the same L1, is merged: it
// parks on that slot, and when that slot gets its leaf, answers from it if
// the leaf allows its access (resp_merged_o), else walks itself. Other
// misses go to the L2, then to a free walker, the lowest-numbered; slots
// waiting for a walker (oldest state WALKQ first, then lowest slot) start
// before new misses. A walk starts only in a cycle with no memory response
// (the page-walk caches then never look up and fill at once). The walkers
// share the memory port (round robin); a walker does not issue a request
// for a PTE another walker has read and may still write (its A/D update),
// so updates stay atomic. Responses leave round robin among ready slots.
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
  // Outstanding translations: request slots (1..MAX_SLOTS) and page-table
  // walkers (1..MAX_WALKERS, at most Slots).
  parameter int unsigned Slots          /*verilator public*/ = 1,
  parameter int unsigned Walkers        /*verilator public*/ = 1,
  localparam int unsigned DEntries  = Sets * Ways + SuperEntries,
  localparam int unsigned IEntries  = (IWays > 0) ? ISets * IWays + ISuperEntries : 1,
  localparam int unsigned L2Entries = (L2Ways > 0) ? L2Sets * L2Ways + L2SuperEntries : 1,
  localparam int unsigned DIdxW  = (DEntries > 1) ? $clog2(DEntries) : 1,
  localparam int unsigned IIdxW  = (IEntries > 1) ? $clog2(IEntries) : 1,
  localparam int unsigned L2IdxW = (L2Entries > 1) ? $clog2(L2Entries) : 1
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
  input  logic [mmu_pkg::REQ_ID_W-1:0] req_id_i,
  input  logic [mmu_pkg::VLEN-1:0]    req_vaddr_i,
  input  mmu_pkg::access_e            req_access_i,
  input  logic               req_priv_s_i,   // 1: S-mode, 0: U-mode
  output logic               resp_valid_o,
  output logic [mmu_pkg::PLEN-1:0]    resp_paddr_o,
  output logic               resp_fault_o,
  output mmu_pkg::cause_e             resp_cause_o,
  output logic               resp_tlb_hit_o,  // served without a walk (by an L1 or the L2)
  output logic               resp_l2_hit_o,   // served by the L2 TLB
  output logic [mmu_pkg::REQ_ID_W-1:0] resp_id_o,
  output logic               resp_merged_o,   // answered from another request's walk or L2 hit
  output logic [2:0]         resp_pte_reads_o, // PTEs its walk read (0: no walk; 7: seven or more)
  output logic [3:0]         walkers_busy_o,  // walkers working now (occupancy statistics)

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
  localparam int unsigned SlotW = (Slots > 1) ? $clog2(Slots) : 1;
  localparam int unsigned WalkW = (Walkers > 1) ? $clog2(Walkers) : 1;
  if (L2Latency < 1 || L2Latency > 255) begin : gen_latency_check
    $error("mmu_top: L2Latency must be 1..255 cycles, got %0d", L2Latency);
  end
  if (Slots < 1 || Slots > mmu_pkg::MAX_SLOTS || Walkers < 1 || Walkers > mmu_pkg::MAX_WALKERS
      || Walkers > Slots) begin : gen_slots_check
    $error("mmu_top: need 1 <= Walkers (%0d) <= Slots (%0d) <= %0d and Walkers <= %0d", Walkers, Slots,
           mmu_pkg::MAX_SLOTS, mmu_pkg::MAX_WALKERS);
  end

  logic bare, translate_mode, fetch_side;
  assign bare           = satp_mode == mmu_pkg::SATP_MODE_BARE;
  assign translate_mode = !bare;  // satp holds Bare or an implemented mode
  assign fetch_side     = HasItlb && req_access_i == mmu_pkg::ACCESS_FETCH;

  logic [mmu_pkg::VPN_W-1:0] req_vpn, flush_vpn;
  assign req_vpn   = req_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W];
  assign flush_vpn = flush_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W];

  // --------------------------------------------------------------------------
  // The request slots, flattened: slot s's field at [s*W +: W]
  // --------------------------------------------------------------------------
  logic [Slots*3-1:0]                  sl_state;
  logic [Slots-1:0]                    sl_l2_due, sl_priv, sl_fside, sl_fault, sl_tlb_hit, sl_l2_hit, sl_merged;
  logic [Slots*WalkW-1:0]              sl_walker;
  logic [Slots*mmu_pkg::REQ_ID_W-1:0]  sl_id;
  logic [Slots*mmu_pkg::VLEN-1:0]      sl_vaddr;
  logic [Slots*2-1:0]                  sl_access;
  logic [Slots*mmu_pkg::PLEN-1:0]      sl_paddr;
  logic [Slots*5-1:0]                  sl_cause;
  function automatic logic slot_is(logic [Slots*3-1:0] states, int unsigned s, mmu_pkg::slot_state_e st);
    slot_is = states[s*3 +: 3] == 3'(st);
  endfunction

  // --------------------------------------------------------------------------
  // One event of each kind per cycle, chosen from registered state only (so
  // req_ready_o never depends on the request)
  // --------------------------------------------------------------------------
  // The walkers (see below): busy, and done waiting to retire.
  logic [Walkers-1:0] ptw_busy, ptw_done, ptw_refill, ptw_fault;

  // A walker retires: the lowest one done, and the slot it works for.
  logic             retire;
  logic [WalkW-1:0] retire_walker;
  logic [SlotW-1:0] retire_slot;
  always_comb begin
    retire        = 1'b0;
    retire_walker = '0;
    for (int unsigned w = 0; w < Walkers; w++) begin
      if (!retire && ptw_done[w]) begin
        retire        = 1'b1;
        retire_walker = WalkW'(w);
      end
    end
    retire_slot = '0;
    for (int unsigned s = 0; s < Slots; s++) begin
      if (slot_is(sl_state, s, mmu_pkg::SLOT_WALK) && sl_walker[s*WalkW +: WalkW] == retire_walker) begin
        retire_slot = SlotW'(s);
      end
    end
  end

  // The L2 looks up the lowest slot whose latency passed, unless a walker
  // retires (its fills use the TLBs this cycle).
  logic             l2_due_any, l2_go;
  logic [SlotW-1:0] l2_slot;
  always_comb begin
    l2_due_any = 1'b0;
    l2_slot    = '0;
    for (int unsigned s = 0; s < Slots; s++) begin
      if (!l2_due_any && sl_l2_due[s]) begin
        l2_due_any = 1'b1;
        l2_slot    = SlotW'(s);
      end
    end
  end
  assign l2_go = HasL2 && l2_due_any && !retire;

  // The response: round robin among ready slots, from the one after the last.
  logic             resp_any;
  logic [SlotW-1:0] resp_slot, resp_rr_q;
  always_comb begin
    resp_any  = 1'b0;
    resp_slot = '0;
    for (int unsigned k = 0; k < Slots; k++) begin
      int unsigned s;
      s = (32'(resp_rr_q) + k) % Slots;
      if (!resp_any && slot_is(sl_state, s, mmu_pkg::SLOT_RESP)) begin
        resp_any  = 1'b1;
        resp_slot = SlotW'(s);
      end
    end
  end

  // A free slot for a new request: the lowest free, or the one whose
  // response leaves this cycle.
  logic             have_free;
  logic [SlotW-1:0] free_slot;
  always_comb begin
    have_free = 1'b0;
    free_slot = '0;
    for (int unsigned s = 0; s < Slots; s++) begin
      if (!have_free && (slot_is(sl_state, s, mmu_pkg::SLOT_FREE) || (resp_any && resp_slot == SlotW'(s)))) begin
        have_free = 1'b1;
        free_slot = SlotW'(s);
      end
    end
  end

  logic accept;
  assign req_ready_o = have_free && !retire && !(HasL2 && l2_due_any);
  assign accept      = req_valid_i && req_ready_o;

  // --------------------------------------------------------------------------
  // L1: the data TLB, and the instruction TLB if there is one. Only the one
  // the request uses looks up, so a cycle costs one L1's ways.
  // --------------------------------------------------------------------------
  logic                     l1_hit, l1_usable, l1_refill, l1_refill_fetch;
  mmu_pkg::tlb_entry_t      l1_entry, l1_refill_entry;
  logic                     dtlb_hit, itlb_hit;
  logic [DIdxW-1:0]         dtlb_hit_idx;
  logic [IIdxW-1:0]         itlb_hit_idx;
  mmu_pkg::tlb_entry_t      dtlb_entry, itlb_entry;
  logic                     l1_lookup;
  assign l1_lookup = req_valid_i && req_ready_o;  // a request accepted now

  assign l1_hit     = fetch_side ? itlb_hit : dtlb_hit;
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
    .refill_i            (l1_refill && !l1_refill_fetch),
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
      .refill_i            (l1_refill && l1_refill_fetch),
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
  // L2: looked up with the due slot's request
  // --------------------------------------------------------------------------
  logic                      l2_hit, l2_usable;
  logic [L2IdxW-1:0]         l2_hit_idx;
  mmu_pkg::tlb_entry_t       l2_entry;
  logic [mmu_pkg::VLEN-1:0]  l2_vaddr;
  mmu_pkg::access_e          l2_access;
  logic                      l2_priv_s;
  assign l2_vaddr  = sl_vaddr[32'(l2_slot) * mmu_pkg::VLEN +: mmu_pkg::VLEN];
  /* verilator lint_off ENUMVALUE */
  assign l2_access = sl_access[32'(l2_slot) * 2 +: 2];
  /* verilator lint_on ENUMVALUE */
  assign l2_priv_s = sl_priv[l2_slot];
  logic                      walk_refill_ok;
  mmu_pkg::tlb_entry_t       walk_entry;
  if (HasL2) begin : gen_l2
    // The L2 sees an address only while it looks up (its inputs otherwise
    // stay still, and a simulator need not re-evaluate it).
    logic [mmu_pkg::VPN_W-1:0] l2_vpn;
    assign l2_vpn = l2_go ? l2_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W] : '0;
    mmu_tlb #(.Sets(L2Sets), .Ways(L2Ways), .Policy(L2Policy), .SuperEntries(L2SuperEntries), .Sv32(Sv32))
      u_l2 (
      .clk_i               (clk_i),
      .rst_ni              (rst_ni),
      .lookup_i            (l2_go),
      .vpn_i               (l2_vpn),
      .asid_i              (satp_asid),
      .hit_o               (l2_hit),
      .hit_idx_o           (l2_hit_idx),
      .entry_o             (l2_entry),
      .touch_i             (l2_go && l2_usable),
      .refill_i            (retire && walk_refill_ok),
      .refill_entry_i      (walk_entry),
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
                                         satp_mode, l2_vaddr[63:38], l2_access, l2_priv_s, sum_i, mxr_i);

  // A slot gets its leaf (resolve): a walker retires, or the L2 hits usably.
  // The L1 the slot used is filled from it; slots parked on it are woken.
  logic                resolve, resolve_ok;
  logic [SlotW-1:0]    resolve_slot;
  mmu_pkg::tlb_entry_t resolve_entry;
  assign resolve         = retire || (l2_go && l2_usable);
  assign resolve_slot    = retire ? retire_slot : l2_slot;
  assign resolve_ok      = retire ? walk_refill_ok : 1'b1;
  assign resolve_entry   = retire ? walk_entry : l2_entry;
  assign l1_refill       = resolve && resolve_ok;
  assign l1_refill_fetch = sl_fside[resolve_slot];
  assign l1_refill_entry = resolve_entry;

  // --------------------------------------------------------------------------
  // Merging: an L1 miss on the VPN of a slot still waiting for its leaf
  // --------------------------------------------------------------------------
  logic             merge;
  logic [SlotW-1:0] merge_slot;
  always_comb begin
    merge      = 1'b0;
    merge_slot = '0;
    for (int unsigned s = 0; s < Slots; s++) begin
      if (!merge && (slot_is(sl_state, s, mmu_pkg::SLOT_L2) || slot_is(sl_state, s, mmu_pkg::SLOT_WALKQ)
                     || slot_is(sl_state, s, mmu_pkg::SLOT_WALK))
          && sl_fside[s] == fetch_side
          && sl_vaddr[s*mmu_pkg::VLEN + mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W] == req_vpn) begin
        merge      = 1'b1;
        merge_slot = SlotW'(s);
      end
    end
  end

  // --------------------------------------------------------------------------
  // Walk starts: one per cycle, on the lowest free walker, never in a cycle
  // with a memory response. A slot waiting for a walker goes first; else the
  // L2's miss, or the accepted request's L1 miss (without an L2).
  // --------------------------------------------------------------------------
  logic             walker_free, walkq_any, can_start;
  logic [WalkW-1:0] free_walker;
  logic [SlotW-1:0] walkq_slot;
  always_comb begin
    walker_free = 1'b0;
    free_walker = '0;
    for (int unsigned w = 0; w < Walkers; w++) begin
      if (!walker_free && !ptw_busy[w]) begin
        walker_free = 1'b1;
        free_walker = WalkW'(w);
      end
    end
    walkq_any  = 1'b0;
    walkq_slot = '0;
    for (int unsigned s = 0; s < Slots; s++) begin
      if (!walkq_any && slot_is(sl_state, s, mmu_pkg::SLOT_WALKQ)) begin
        walkq_any  = 1'b1;
        walkq_slot = SlotW'(s);
      end
    end
  end
  assign can_start = walker_free && !mem_rsp_valid_i;

  logic accept_miss, accept_walk, l2_walk, walkq_start, walk_start;
  assign accept_miss = accept && translate_mode && !l1_usable && !merge;
  assign accept_walk = accept_miss && !HasL2 && can_start && !walkq_any;
  assign l2_walk     = l2_go && !l2_usable && can_start && !walkq_any;
  assign walkq_start = walkq_any && can_start;
  assign walk_start  = accept_walk || l2_walk || walkq_start;

  logic [mmu_pkg::VLEN-1:0] walk_vaddr;
  mmu_pkg::access_e         walk_access;
  logic                     walk_priv_s;
  always_comb begin
    if (walkq_start) begin
      walk_vaddr  = sl_vaddr[32'(walkq_slot) * mmu_pkg::VLEN +: mmu_pkg::VLEN];
      /* verilator lint_off ENUMVALUE */
      walk_access = sl_access[32'(walkq_slot) * 2 +: 2];
      /* verilator lint_on ENUMVALUE */
      walk_priv_s = sl_priv[walkq_slot];
    end else if (HasL2) begin
      walk_vaddr  = l2_vaddr;
      walk_access = l2_access;
      walk_priv_s = l2_priv_s;
    end else begin
      walk_vaddr  = req_vaddr;
      walk_access = req_access_i;
      walk_priv_s = req_priv_s_i;
    end
  end

  // The accepted request's first state, and its result if it has one now.
  mmu_pkg::slot_state_e     alloc_state;
  logic [mmu_pkg::PLEN-1:0] alloc_paddr;
  logic                     alloc_fault, alloc_tlb_hit;
  mmu_pkg::cause_e          alloc_cause;
  always_comb begin
    alloc_state   = mmu_pkg::SLOT_RESP;
    alloc_paddr   = '0;
    alloc_fault   = 1'b0;
    alloc_cause   = mmu_pkg::CAUSE_NONE;
    alloc_tlb_hit = 1'b0;
    if (bare) begin
      alloc_paddr = req_vaddr[mmu_pkg::PLEN-1:0];
      alloc_fault = req_vaddr[mmu_pkg::VLEN-1:mmu_pkg::PLEN] != '0;
      alloc_cause = mmu_pkg::access_fault_cause(req_access_i);
    end else if (l1_usable) begin
      alloc_paddr   = mmu_pkg::leaf_paddr(l1_entry.ppn, l1_entry.level, l1_entry.napot, Sv32,
                                          req_vaddr[mmu_pkg::PLEN-1:0]);
      alloc_tlb_hit = 1'b1;
    end else if (merge) begin
      alloc_state = mmu_pkg::SLOT_PARKED;
    end else if (HasL2) begin
      alloc_state = mmu_pkg::SLOT_L2;
    end else if (accept_walk) begin
      alloc_state = mmu_pkg::SLOT_WALK;
    end else begin
      alloc_state = mmu_pkg::SLOT_WALKQ;
    end
  end
  mmu_pkg::slot_state_e l2_next;
  assign l2_next = l2_usable ? mmu_pkg::SLOT_RESP : l2_walk ? mmu_pkg::SLOT_WALK : mmu_pkg::SLOT_WALKQ;
  logic [mmu_pkg::PLEN-1:0] l2_paddr;
  assign l2_paddr = mmu_pkg::leaf_paddr(l2_entry.ppn, l2_entry.level, l2_entry.napot, Sv32,
                                        l2_vaddr[mmu_pkg::PLEN-1:0]);

  // The walkers' results, of the one retiring.
  logic [Walkers*mmu_pkg::PLEN-1:0]        ptw_paddr;
  logic [Walkers*5-1:0]                    ptw_cause;
  logic [Walkers*3-1:0]                    ptw_reads;
  logic [Slots*3-1:0]                      sl_reads;
  logic [Walkers*mmu_pkg::TLB_ENTRY_W-1:0] ptw_entry;
  mmu_pkg::cause_e walk_cause;
  /* verilator lint_off ENUMVALUE */  // a walker's cause_o, flattened
  assign walk_cause     = ptw_cause[32'(retire_walker) * 5 +: 5];
  /* verilator lint_on ENUMVALUE */
  assign walk_refill_ok = ptw_refill[retire_walker];
  assign walk_entry     = ptw_entry[32'(retire_walker) * mmu_pkg::TLB_ENTRY_W +: mmu_pkg::TLB_ENTRY_W];

  for (genvar s = 0; s < Slots; s++) begin : gen_slot
    mmu_pkg::slot_state_e st;
    mmu_pkg::access_e     acc;
    mmu_pkg::cause_e      cause;
    mmu_req_slot #(.Sv32(Sv32), .L2Latency(L2Latency), .SlotW(SlotW), .WalkW(WalkW)) u_slot (
      .clk_i            (clk_i),
      .rst_ni           (rst_ni),
      .satp_mode_i      (satp_mode),
      .sum_i            (sum_i),
      .mxr_i            (mxr_i),
      .alloc_i          (accept && free_slot == SlotW'(s)),
      .alloc_state_i    (alloc_state),
      .alloc_walker_i   (free_walker),
      .alloc_park_i     (merge_slot),
      .req_id_i         (req_id_i),
      .req_vaddr_i      (req_vaddr),
      .req_access_i     (req_access_i),
      .req_priv_s_i     (req_priv_s_i),
      .req_fetch_side_i (fetch_side),
      .hit_paddr_i      (alloc_paddr),
      .hit_fault_i      (alloc_fault),
      .hit_cause_i      (alloc_cause),
      .hit_tlb_i        (alloc_tlb_hit),
      .l2_i             (l2_go && l2_slot == SlotW'(s)),
      .l2_state_i       (l2_next),
      .l2_walker_i      (free_walker),
      .l2_paddr_i       (l2_paddr),
      .start_i          (walkq_start && walkq_slot == SlotW'(s)),
      .start_walker_i   (free_walker),
      .retire_i         (retire),
      .retire_walker_i  (retire_walker),
      .walk_paddr_i     (ptw_paddr[32'(retire_walker) * mmu_pkg::PLEN +: mmu_pkg::PLEN]),
      .walk_fault_i     (ptw_fault[retire_walker]),
      .walk_cause_i     (walk_cause),
      .walk_reads_i     (ptw_reads[32'(retire_walker) * 3 +: 3]),
      .resolve_i        (resolve),
      .resolve_slot_i   (resolve_slot),
      .resolve_ok_i     (resolve_ok),
      .resolve_entry_i  (resolve_entry),
      .respond_i        (resp_any && resp_slot == SlotW'(s)),
      .state_o          (st),
      .l2_due_o         (sl_l2_due[s]),
      .walker_o         (sl_walker[s*WalkW +: WalkW]),
      .id_o             (sl_id[s*mmu_pkg::REQ_ID_W +: mmu_pkg::REQ_ID_W]),
      .vaddr_o          (sl_vaddr[s*mmu_pkg::VLEN +: mmu_pkg::VLEN]),
      .access_o         (acc),
      .priv_s_o         (sl_priv[s]),
      .fetch_side_o     (sl_fside[s]),
      .paddr_o          (sl_paddr[s*mmu_pkg::PLEN +: mmu_pkg::PLEN]),
      .fault_o          (sl_fault[s]),
      .cause_o          (cause),
      .tlb_hit_o        (sl_tlb_hit[s]),
      .l2_hit_o         (sl_l2_hit[s]),
      .merged_o         (sl_merged[s]),
      .pte_reads_o      (sl_reads[s*3 +: 3])
    );
    assign sl_state[s*3 +: 3]  = st;
    assign sl_access[s*2 +: 2] = acc;
    assign sl_cause[s*5 +: 5]  = cause;
  end

  // --------------------------------------------------------------------------
  // The walkers, their shared page-walk caches, and the memory port
  // --------------------------------------------------------------------------
  logic [mmu_pkg::LEVEL_W-1:0] top_level;
  assign top_level = mmu_pkg::root_level(satp_mode);
  logic                        pwc_lookup, pwc_global, pwc_fill;
  logic [mmu_pkg::LEVEL_W-1:0] pwc_start;
  logic [mmu_pkg::PPN_W-1:0]   pwc_ppn;
  mmu_pkg::tlb_entry_t         pwc_fill_entry;
  logic [Walkers-1:0]                      ptw_pwc_fill;
  logic [Walkers*mmu_pkg::TLB_ENTRY_W-1:0] ptw_pwc_entry;
  assign pwc_lookup = walk_start && mmu_pkg::va_canonical(satp_mode, walk_vaddr[63:38]);

  // The memory port: one walker's request per cycle (round robin), and the
  // walker each outstanding request came from, in order, for the in-order
  // responses. Every walker sees the others' PTE writes (snoop), so one that
  // read a PTE another then wrote reads it again before writing it back.
  logic [Walkers-1:0]                 w_req_valid, w_req_we;
  logic [Walkers*mmu_pkg::PLEN-1:0]   w_req_addr;
  logic [Walkers*64-1:0]              w_req_wdata;
  logic                               grant_any;
  logic [WalkW-1:0]                   grant, mem_rr_q, rsp_walker;
  always_comb begin
    grant_any = 1'b0;
    grant     = '0;
    for (int unsigned k = 0; k < Walkers; k++) begin
      /* verilator lint_off UNUSEDSIGNAL */  // with one walker, only bit 0 of w is read
      int unsigned w;
      /* verilator lint_on UNUSEDSIGNAL */
      w = (32'(mem_rr_q) + k) % Walkers;
      if (!grant_any && w_req_valid[w]) begin
        grant_any = 1'b1;
        grant     = WalkW'(w);
      end
    end
  end
  assign mem_req_valid_o = grant_any;
  assign mem_req_addr_o  = w_req_addr[32'(grant) * mmu_pkg::PLEN +: mmu_pkg::PLEN];
  assign mem_req_we_o    = w_req_we[grant];
  assign mem_req_wdata_o = w_req_wdata[32'(grant) * 64 +: 64];

  if (Walkers > 1) begin : gen_mem_order
    // Outstanding requests' walkers, oldest at head_q (each walker has at
    // most one outstanding, so Walkers entries suffice).
    logic [Walkers*WalkW-1:0] order_q;
    logic [WalkW-1:0]         head_q, tail_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        order_q  <= '0;
        head_q   <= '0;
        tail_q   <= '0;
        mem_rr_q <= '0;
      end else begin
        if (mem_req_valid_o && mem_req_ready_i) begin
          order_q[32'(tail_q) * WalkW +: WalkW] <= grant;
          tail_q   <= WalkW'((32'(tail_q) + 1) % Walkers);
          mem_rr_q <= WalkW'((32'(grant) + 1) % Walkers);
        end
        if (mem_rsp_valid_i) head_q <= WalkW'((32'(head_q) + 1) % Walkers);
      end
    end
    assign rsp_walker = order_q[32'(head_q) * WalkW +: WalkW];
  end else begin : gen_one_walker
    assign mem_rr_q   = '0;
    assign rsp_walker = '0;
  end

  for (genvar w = 0; w < Walkers; w++) begin : gen_walker
    mmu_pkg::cause_e     cause;
    mmu_pkg::tlb_entry_t entry, fill_entry;
    mmu_ptw #(.Sv32(Sv32)) u_ptw (
      .clk_i           (clk_i),
      .rst_ni          (rst_ni),
      .start_i         (walk_start && free_walker == WalkW'(w)),
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
      .pwc_start_i     (pwc_start),
      .pwc_ppn_i       (pwc_ppn),
      .pwc_global_i    (pwc_global),
      .pwc_fill_o      (ptw_pwc_fill[w]),
      .pwc_fill_entry_o(fill_entry),
      .retire_i        (retire && retire_walker == WalkW'(w)),
      .snoop_write_i   (mem_req_valid_o && mem_req_ready_i && mem_req_we_o && grant != WalkW'(w)),
      .snoop_addr_i    (mem_req_addr_o),
      .busy_o          (ptw_busy[w]),
      .done_o          (ptw_done[w]),
      .reads_o         (ptw_reads[w*3 +: 3]),
      .fault_o         (ptw_fault[w]),
      .cause_o         (cause),
      .refill_o        (ptw_refill[w]),
      .entry_o         (entry),
      .paddr_o         (ptw_paddr[w*mmu_pkg::PLEN +: mmu_pkg::PLEN]),
      .mem_req_valid_o (w_req_valid[w]),
      .mem_req_ready_i (mem_req_ready_i && grant_any && grant == WalkW'(w)),
      .mem_req_addr_o  (w_req_addr[w*mmu_pkg::PLEN +: mmu_pkg::PLEN]),
      .mem_req_we_o    (w_req_we[w]),
      .mem_req_wdata_o (w_req_wdata[w*64 +: 64]),
      .mem_rsp_valid_i (mem_rsp_valid_i && rsp_walker == WalkW'(w)),
      .mem_rsp_rdata_i (mem_rsp_rdata_i),
      .mem_rsp_error_i (mem_rsp_error_i)
    );
    assign ptw_cause[w*5 +: 5] = cause;
    assign ptw_entry[w*mmu_pkg::TLB_ENTRY_W +: mmu_pkg::TLB_ENTRY_W] = entry;
    assign ptw_pwc_entry[w*mmu_pkg::TLB_ENTRY_W +: mmu_pkg::TLB_ENTRY_W] = fill_entry;
  end
  // Only the walker the memory answers can follow a pointer this cycle.
  assign pwc_fill       = ptw_pwc_fill[rsp_walker];
  assign pwc_fill_entry = ptw_pwc_entry[32'(rsp_walker) * mmu_pkg::TLB_ENTRY_W +: mmu_pkg::TLB_ENTRY_W];

  mmu_pwc #(
    .Sv32        (Sv32),
    .Pwc1Entries (Pwc1Entries), .Pwc1Policy (Pwc1Policy),
    .Pwc2Entries (Pwc2Entries), .Pwc2Policy (Pwc2Policy),
    .Pwc3Entries (Pwc3Entries), .Pwc3Policy (Pwc3Policy),
    .Pwc4Entries (Pwc4Entries), .Pwc4Policy (Pwc4Policy)
  ) u_pwc (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .lookup_i            (pwc_lookup),
    .vpn_i               (walk_vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::VPN_W]),
    .asid_i              (satp_asid),
    .top_level_i         (top_level),
    .start_level_o       (pwc_start),
    .ppn_o               (pwc_ppn),
    .global_o            (pwc_global),
    .fill_i              (pwc_fill),
    .fill_entry_i        (pwc_fill_entry),
    .flush_i             (flush_i),
    .flush_vaddr_valid_i (flush_vaddr_valid_i),
    .flush_vpn_i         (flush_vpn),
    .flush_asid_valid_i  (flush_asid_valid_i),
    .flush_asid_i        (flush_asid_i)
  );

  // --------------------------------------------------------------------------
  // The response port, from the chosen ready slot
  // --------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)       resp_rr_q <= '0;
    else if (resp_any) resp_rr_q <= SlotW'((32'(resp_slot) + 1) % Slots);
  end
  assign resp_valid_o   = resp_any;
  assign resp_paddr_o   = sl_paddr[32'(resp_slot) * mmu_pkg::PLEN +: mmu_pkg::PLEN];
  assign resp_fault_o   = sl_fault[resp_slot];
  /* verilator lint_off ENUMVALUE */
  assign resp_cause_o   = sl_cause[32'(resp_slot) * 5 +: 5];
  /* verilator lint_on ENUMVALUE */
  assign resp_tlb_hit_o = sl_tlb_hit[resp_slot];
  assign resp_l2_hit_o  = sl_l2_hit[resp_slot];
  assign resp_id_o      = sl_id[32'(resp_slot) * mmu_pkg::REQ_ID_W +: mmu_pkg::REQ_ID_W];
  assign resp_merged_o  = sl_merged[resp_slot];
  assign resp_pte_reads_o = sl_reads[32'(resp_slot) * 3 +: 3];
  always_comb begin
    walkers_busy_o = '0;
    for (int unsigned w = 0; w < Walkers; w++) walkers_busy_o = walkers_busy_o + 4'(ptw_busy[w]);
  end

  // Address bits outside the VPN and the TLB fields the hit paths do not use
  // are left unread.
  logic unused_ok;
  assign unused_ok = ^{flush_vaddr[mmu_pkg::VLEN-1:mmu_pkg::PAGE_SHIFT+mmu_pkg::VPN_W],
                       flush_vaddr[mmu_pkg::PAGE_SHIFT-1:0], l1_entry.vpn, l1_entry.asid, l1_entry.global,
                       dtlb_hit_idx, itlb_hit_idx, l2_hit_idx};

  // Checks (see mmu_assert.svh): on in the test build (-DVMSIM_ASSERT) and
  // under make formal. A failure stops the run: the driver reports the
  // assertion's name and the cycle. Each one is made to fire on purpose in
  // tests/rtl/test_assertions.cpp.
  //
`ifdef MMU_CHECKS_ON
  // A walker is busy exactly while a slot waits on it.
  logic [Walkers-1:0] walker_tracked;
  always_comb begin
    walker_tracked = '0;
    for (int unsigned s = 0; s < Slots; s++) begin
      for (int unsigned w = 0; w < Walkers; w++) begin
        if (slot_is(sl_state, s, mmu_pkg::SLOT_WALK) && sl_walker[s*WalkW +: WalkW] == WalkW'(w)) begin
          walker_tracked[w] = 1'b1;
        end
      end
    end
  end
  `MMU_ASSERT(WalkTracked, walker_tracked == ptw_busy,
              ("mmu_top: walkers busy %b, but slots wait on %b", ptw_busy, walker_tracked))
  // Requester protocol: satp is written only while no translation is in
  // flight, never in the cycle a request is accepted (a walk would start in
  // one address space and finish in another).
  logic in_flight;
  always_comb begin
    in_flight = 1'b0;
    for (int unsigned s = 0; s < Slots; s++) begin
      if (!slot_is(sl_state, s, mmu_pkg::SLOT_FREE) && !slot_is(sl_state, s, mmu_pkg::SLOT_RESP)) in_flight = 1'b1;
    end
  end
  `MMU_ASSUME(NoSatpWriteInWalk, !(satp_we_i && (in_flight || accept)),
              ("mmu_top: satp written while a walk is in progress"))
  // Exactly one response per accepted request: none without one outstanding.
  logic [4:0] outstanding_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) outstanding_q <= '0;
    else         outstanding_q <= outstanding_q + 5'(accept) - 5'(resp_valid_o);
  end
  `MMU_ASSERT(RespOnlyAfterRequest, !resp_valid_o || outstanding_q != '0,
              ("mmu_top: a response with no request outstanding"))
  `MMU_COVER(HitServed, resp_valid_o && resp_tlb_hit_o)
  `MMU_COVER(RewalkAfterHit, accept_miss && l1_hit)
  if (HasL2) begin : gen_l2_covers
    `MMU_COVER(L2HitServed, resp_valid_o && resp_l2_hit_o)
    `MMU_COVER(L2MissWalks, l2_go && !l2_hit)
  end
  `MMU_COVER(WalkFromPwc, pwc_lookup && pwc_start != '0)
  if (HasItlb) begin : gen_itlb_covers
    `MMU_COVER(ItlbHitServed, accept && fetch_side && l1_usable)
  end
  if (Slots > 1) begin : gen_slot_covers
    `MMU_COVER(HitUnderMiss, accept && translate_mode && l1_usable && ptw_busy != '0)
    `MMU_COVER(MergedMissServed, resp_valid_o && resp_merged_o)
  end
  if (Walkers > 1) begin : gen_walker_covers
    `MMU_COVER(TwoWalkersBusy, walkers_busy_o >= 4'd2)
  end
`endif

endmodule
