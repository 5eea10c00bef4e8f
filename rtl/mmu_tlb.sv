// mmu_tlb: the L1 TLB: a set-associative array (Sets x Ways, fully
// associative when Sets = 1) with a replacement policy chosen by parameter,
// and, when SuperEntries > 0, a small fully associative tree-PLRU array for
// superpages and Svnapot 64 KiB pages. ASID/global tags, sfence.vma flushes.
//
// Superpages: a 2 MiB page covers 512 sets of 4 KiB pages, so a set index
// taken from the VPN's low bits cannot find it. With SuperEntries > 0, 4 KiB
// leaves go to the set array (set = VPN[log2(Sets)-1:0]) and every larger or
// napot leaf to the superpage array; a lookup reads one set and the whole
// superpage array. With SuperEntries = 0 every size shares the set array,
// which must then be fully associative (Sets = 1).
//
// Contract:
// - Lookup is combinational: while lookup_i is high, hit_o/entry_o/hit_idx_o
//   describe vpn_i/asid_i in the same cycle; otherwise hit_o is low. When
//   entries overlap (software changed a PTE without an sfence, or mapped a VA
//   globally in one address space and privately in another), the lowest
//   index wins: the set array's ways in order, then the superpage array's;
//   the reference model follows that rule. The TLB never makes two entries
//   with the same tag itself (RefillNotDuplicate).
// - touch_i marks hit_idx_o as used for replacement.
// - refill_i writes refill_entry_i into its array: over the entry of that
//   array a lookup of its VPN and ASID would hit now (a re-walk after a
//   permission miss, or a second walk of the same page by another walker,
//   must not duplicate it), else the first invalid way of the set (or entry
//   of the superpage array), else the victim of the policy (mmu_tlb_repl) or
//   of the superpage array's tree PLRU (the same module, one set). The
//   search reads one set (or the superpage array), and only in a refill
//   cycle.
// - flush_i applies the four sfence.vma forms; it wins over a same-cycle refill.
//
// Entry index: set s way w at s*Ways + w, superpage entry j at Sets*Ways + j.
// Storage is one unpacked array per field (Yosys 0.23 reads neither packed
// arrays of structs nor multi-dimensional packed arrays; it reads these as
// memories), so a refill writes one element.
// Only the set a lookup or refill names is read, so simulation cost grows
// with Ways (and SuperEntries), not with Sets.
`include "mmu_assert.svh"

module mmu_tlb #(
  parameter int unsigned Sets         = 1,       // a power of two
  parameter int unsigned Ways         = 16,      // a power of two
  parameter int unsigned Policy       = 0,       // mmu_pkg::REPL_*
  parameter int unsigned SuperEntries = 0,       // 0, or a power of two of at least 2
  parameter bit          Sv32         = 1'b0,    // 10-bit VPN fields (RV32 build)
  localparam int unsigned Entries = Sets * Ways + SuperEntries,
  localparam int unsigned IdxW = (Entries > 1) ? $clog2(Entries) : 1
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,

  input  logic                        lookup_i,     // a lookup is wanted this cycle
  input  logic [mmu_pkg::VPN_W-1:0]   vpn_i,
  input  logic [mmu_pkg::ASID_W-1:0]  asid_i,
  output logic                        hit_o,
  output logic [IdxW-1:0]             hit_idx_o,
  output mmu_pkg::tlb_entry_t         entry_o,
  input  logic                        touch_i,

  input  logic                        refill_i,
  input  mmu_pkg::tlb_entry_t         refill_entry_i,

  input  logic                        flush_i,
  input  logic                        flush_vaddr_valid_i,
  input  logic [mmu_pkg::VPN_W-1:0]   flush_vpn_i,
  input  logic                        flush_asid_valid_i,
  input  logic [mmu_pkg::ASID_W-1:0]  flush_asid_i
);

  localparam int unsigned VpnW   = mmu_pkg::VPN_W;
  localparam int unsigned LevelW = mmu_pkg::LEVEL_W;
  localparam int unsigned AsidW  = mmu_pkg::ASID_W;
  localparam int unsigned PpnW   = mmu_pkg::PPN_W;
  localparam int unsigned SetW   = (Sets > 1) ? $clog2(Sets) : 1;
  localparam int unsigned WayW   = (Ways > 1) ? $clog2(Ways) : 1;
  localparam int unsigned SupW   = (SuperEntries > 1) ? $clog2(SuperEntries) : 1;
  localparam int unsigned SetEntries = Sets * Ways;
  localparam bit          Split  = SuperEntries > 0;
  localparam int unsigned SupLoop = Split ? SuperEntries : 1;  // a loop bound that is never 0

  if ((Sets & (Sets - 1)) != 0 || Sets == 0 || (Ways & (Ways - 1)) != 0 || Ways == 0) begin : gen_geometry_check
    $error("mmu_tlb: Sets and Ways must be powers of two, got %0d x %0d", Sets, Ways);
  end
  if (Split && (SuperEntries < 2 || (SuperEntries & (SuperEntries - 1)) != 0)) begin : gen_super_size_check
    $error("mmu_tlb: SuperEntries must be 0 or a power of two of at least 2, got %0d", SuperEntries);
  end
  if (!Split && Sets > 1) begin : gen_super_check
    $error("mmu_tlb: a set-associative array (Sets = %0d) needs a superpage array (SuperEntries > 0)", Sets);
  end

  // Storage: one array element per entry and field, so a refill writes one
  // element (a simulator then copies one word, not the whole TLB, per write).
  // The one-bit fields share an element: flag bits FlagNapot..FlagD.
  localparam int unsigned FlagNapot = 0, FlagGlobal = 1, FlagR = 2, FlagW = 3, FlagX = 4,
                          FlagU = 5, FlagD = 6, FlagsW = 7;
  logic [VpnW-1:0]   vpn_q   [Entries];
  logic [LevelW-1:0] level_q [Entries];
  logic [AsidW-1:0]  asid_q  [Entries];
  logic [PpnW-1:0]   ppn_q   [Entries];
  logic [FlagsW-1:0] flags_q [Entries];
  logic [Entries-1:0] valid_q;

  logic [IdxW-1:0]    refill_idx;

`ifdef VMSIM_ASSERT
  // Fault injection (rtl/fault_injection.vlt): a test sets it to make the
  // refill forget the entry it must overwrite, and sees RefillNotDuplicate
  // fire. Nothing in the design writes it; it holds what the test wrote.
  logic inject_forget_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) inject_forget_q <= 1'b0;
    else         inject_forget_q <= inject_forget_q;
  end
`endif

  // The set a VPN indexes (its low bits above the 4 KiB offset).
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [SetW-1:0] set_of(logic [VpnW-1:0] vpn);
    set_of = (Sets > 1) ? vpn[SetW-1:0] : '0;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
  // The set and way of a set-array entry index.
  function automatic logic [SetW-1:0] set_of_idx(logic [IdxW-1:0] idx);
    set_of_idx = (Sets > 1) ? SetW'(32'(idx) / Ways) : '0;
  endfunction
  function automatic logic [WayW-1:0] way_of_idx(logic [IdxW-1:0] idx);
    way_of_idx = (Ways > 1) ? WayW'(32'(idx) % Ways) : '0;
  endfunction
  // Whether a leaf lives in the superpage array.
  function automatic logic in_super(logic [LevelW-1:0] level, logic napot);
    in_super = Split && (level != '0 || napot);
  endfunction

  // Whether entry i's tag covers vpn and belongs to asid (or is global).
  function automatic logic entry_covers(logic [IdxW-1:0] i, logic [VpnW-1:0] vpn);
    entry_covers = mmu_pkg::vpn_tag_match(vpn_q[i], level_q[i], flags_q[i][FlagNapot], Sv32, vpn);
  endfunction

  // Whether entry idx matches vpn in asid's address space.
  function automatic logic entry_hits(logic [IdxW-1:0] idx, logic [VpnW-1:0] vpn, logic [AsidW-1:0] asid);
    entry_hits = valid_q[idx] && entry_covers(idx, vpn) && (flags_q[idx][FlagGlobal] || asid_q[idx] == asid);
  endfunction

  // Whether the superpage array holds any valid entry. The lookup skips the
  // array when it does not: the same answer (an invalid entry never hits),
  // but a simulator then spends nothing on an empty array, the common case
  // for a workload of 4 KiB pages.
  logic super_any;
  if (Split) begin : gen_super_any
    assign super_any = valid_q[Entries-1:SetEntries] != '0;
  end else begin : gen_no_super_any
    assign super_any = 1'b0;
  end

  // Lookup: the ways of one set, then the superpage array; the lowest index
  // wins. Only while lookup_i asks, for the same reason as flush_sel below.
  always_comb begin
    logic [SetW-1:0] set;
    hit_o     = 1'b0;
    hit_idx_o = '0;
    set       = set_of(vpn_i);
    if (lookup_i) begin
      for (int unsigned w = 0; w < Ways; w++) begin
        if (!hit_o && entry_hits(IdxW'(32'(set) * Ways + w), vpn_i, asid_i)) begin
          hit_o     = 1'b1;
          hit_idx_o = IdxW'(32'(set) * Ways + w);
        end
      end
      if (super_any) begin
        for (int unsigned j = 0; j < SupLoop; j++) begin
          if (!hit_o && entry_hits(IdxW'(SetEntries + j), vpn_i, asid_i)) begin
            hit_o     = 1'b1;
            hit_idx_o = IdxW'(SetEntries + j);
          end
        end
      end
    end
  end

  // The entry that hit (all zero without a hit: read only on one).
  always_comb begin
    entry_o        = '0;
    if (hit_o) begin
      entry_o.vpn    = vpn_q[hit_idx_o];
      entry_o.level  = level_q[hit_idx_o];
      entry_o.napot  = flags_q[hit_idx_o][FlagNapot];
      entry_o.asid   = asid_q[hit_idx_o];
      entry_o.global = flags_q[hit_idx_o][FlagGlobal];
      entry_o.ppn    = ppn_q[hit_idx_o];
      entry_o.r      = flags_q[hit_idx_o][FlagR];
      entry_o.w      = flags_q[hit_idx_o][FlagW];
      entry_o.x      = flags_q[hit_idx_o][FlagX];
      entry_o.u      = flags_q[hit_idx_o][FlagU];
      entry_o.d      = flags_q[hit_idx_o][FlagD];
    end
  end

  // Refill slot: the entry of the refill's array that a lookup of its VPN
  // would hit, else an invalid entry of the set or superpage array, so a
  // cold TLB fills without evicting, else the replacement victim.
  logic            refill_super, refill_evicts;
  logic [SetW-1:0] refill_set;
  logic [WayW-1:0] repl_victim;
  logic [SupW-1:0] super_victim;
  assign refill_super = in_super(refill_entry_i.level, refill_entry_i.napot);
  assign refill_set   = set_of(refill_entry_i.vpn);
  logic            refill_reuse;  // the refill overwrites the entry that would hit
  always_comb begin
    logic            have_free;
    logic [IdxW-1:0] free_idx, reuse_idx;
    have_free    = 1'b0;
    free_idx     = '0;
    refill_reuse = 1'b0;
    reuse_idx    = '0;
    // Searched only when a refill asks (a simulator evaluates this logic on
    // every cycle, and most cycles refill nothing).
    if (refill_i && refill_super) begin
      for (int unsigned j = 0; j < SupLoop; j++) begin
        if (Split && !refill_reuse && entry_hits(IdxW'(SetEntries + j), refill_entry_i.vpn, refill_entry_i.asid)) begin
          refill_reuse = 1'b1;
          reuse_idx    = IdxW'(SetEntries + j);
        end
        if (Split && !have_free && !valid_q[SetEntries + j]) begin
          have_free = 1'b1;
          free_idx  = IdxW'(SetEntries + j);
        end
      end
    end else if (refill_i) begin
      for (int unsigned w = 0; w < Ways; w++) begin
        if (!refill_reuse && entry_hits(IdxW'(32'(refill_set) * Ways + w), refill_entry_i.vpn, refill_entry_i.asid)) begin
          refill_reuse = 1'b1;
          reuse_idx    = IdxW'(32'(refill_set) * Ways + w);
        end
        if (!have_free && !valid_q[32'(refill_set) * Ways + w]) begin
          have_free = 1'b1;
          free_idx  = IdxW'(32'(refill_set) * Ways + w);
        end
      end
    end
`ifdef VMSIM_ASSERT
    if (inject_forget_q) refill_reuse = 1'b0;  // a test breaks the search on purpose
`endif
    refill_evicts = 1'b0;
    if (refill_reuse) begin
      refill_idx = reuse_idx;
    end else if (have_free) begin
      refill_idx = free_idx;
    end else if (refill_super) begin
      refill_idx = IdxW'(SetEntries) + IdxW'(super_victim);
    end else begin
      refill_idx    = IdxW'(32'(refill_set) * Ways + 32'(repl_victim));
      refill_evicts = 1'b1;
    end
  end


  // Replacement: the set array's policy, touched on a hit there and on each
  // refill there; the superpage array's tree PLRU likewise.
  logic refill_now, hit_in_set;
  assign refill_now = refill_i && !flush_i;
  assign hit_in_set = 32'(hit_idx_o) < SetEntries;
  mmu_tlb_repl #(.Sets(Sets), .Ways(Ways), .Policy(Policy)) u_repl (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .touch_i      ((touch_i && hit_in_set) || (refill_now && !refill_super)),
    .touch_set_i  (touch_i ? set_of_idx(hit_idx_o) : refill_set),
    .touch_way_i  (touch_i ? way_of_idx(hit_idx_o) : way_of_idx(refill_idx)),
    .evict_i      (refill_now && refill_evicts),
    .victim_set_i (refill_set),
    .victim_way_o (repl_victim)
  );

  if (Split) begin : gen_super_plru
    logic [IdxW-1:0] super_touch;
    assign super_touch = (touch_i ? hit_idx_o : refill_idx) - IdxW'(SetEntries);
    // The superpage array is one set of SuperEntries ways, tree PLRU.
    mmu_tlb_repl #(.Sets(1), .Ways(SuperEntries), .Policy(mmu_pkg::REPL_PLRU)) u_super_repl (
      .clk_i        (clk_i),
      .rst_ni       (rst_ni),
      .touch_i      ((touch_i && !hit_in_set) || (refill_now && refill_super)),
      .touch_set_i  (1'b0),
      .touch_way_i  (super_touch[SupW-1:0]),
      .evict_i      (1'b0),
      .victim_set_i (1'b0),
      .victim_way_o (super_victim)
    );
    logic unused_super_touch;
    assign unused_super_touch = ^super_touch;
  end else begin : gen_no_super
    assign super_victim = '0;
  end

  // Only the valid bits are reset: an invalid entry's fields are never read.
  // The flush's per-entry comparison runs only in a flush cycle; otherwise a
  // refill sets one bit.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (flush_i) begin
      // The entries the sfence.vma removes (an ASID fence spares globals).
      logic [Entries-1:0] removed;
      for (int unsigned i = 0; i < Entries; i++) begin
        removed[i] = (!flush_vaddr_valid_i || entry_covers(IdxW'(i), flush_vpn_i))
                     && (!flush_asid_valid_i || (!flags_q[i][FlagGlobal] && asid_q[i] == flush_asid_i));
      end
      valid_q <= valid_q & ~removed;
    end else if (refill_i) begin
      valid_q[refill_idx] <= 1'b1;
    end
  end
  always_ff @(posedge clk_i) begin
    if (refill_i && !flush_i) begin
      vpn_q[refill_idx]   <= refill_entry_i.vpn;
      level_q[refill_idx] <= refill_entry_i.level;
      asid_q[refill_idx]  <= refill_entry_i.asid;
      ppn_q[refill_idx]   <= refill_entry_i.ppn;
      flags_q[refill_idx] <= {refill_entry_i.d, refill_entry_i.u, refill_entry_i.x, refill_entry_i.w,
                              refill_entry_i.r, refill_entry_i.global, refill_entry_i.napot};
    end
  end

  // A refill never makes a second entry with the same tag (VPN under the
  // page size, size, napot, ASID, G) beside the one it writes. The refill's
  // search reads one set; this check reads every entry. A refill that found
  // nothing to overwrite had no entry covering its VPN in its address space,
  // so none may have that tag. One that overwrote the entry a lookup would
  // hit (a re-walk after too few rights or D clear, or a page another walker
  // filled meanwhile) may leave another with the same tag only if entries
  // already overlapped
  // (a stale 4 KiB page under a new 2 MiB page, or one VA mapped globally in
  // one space and privately in another): software's doing, no fence or
  // inconsistent G mappings, and legal, the lowest index winning. This
  // relies on satp staying put from the request to the refill (the
  // requester's side of the protocol, NoSatpWriteInWalk in mmu_top).
`ifdef MMU_CHECKS_ON
  logic [Entries-1:0] same_tag;
  always_comb begin
    same_tag = '0;
    if (refill_i && !flush_i) begin
      for (int unsigned i = 0; i < Entries; i++) begin
        same_tag[i] = valid_q[i] && IdxW'(i) != refill_idx
                      && level_q[i] == refill_entry_i.level
                      && flags_q[i][FlagNapot] == refill_entry_i.napot
                      && flags_q[i][FlagGlobal] == refill_entry_i.global
                      && (refill_entry_i.global
                          || asid_q[i] == refill_entry_i.asid)
                      && entry_covers(IdxW'(i), refill_entry_i.vpn);
      end
    end
  end
  `MMU_ASSERT(RefillNotDuplicate, same_tag == '0 || refill_reuse,
              ("mmu_tlb: refill after a miss, at %0d, duplicates entries %b", refill_idx, same_tag))

  // Every sfence.vma form can remove an entry, and an ASID fence can spare a
  // global one (covers, for make formal).
  logic [Entries-1:0] flush_sel, flush_spared_global;
  always_comb begin
    flush_sel = '0;
    if (flush_i) begin  // only then: a loop over every entry
      for (int unsigned i = 0; i < Entries; i++) begin
        flush_sel[i] = valid_q[i] && (!flush_vaddr_valid_i || entry_covers(IdxW'(i), flush_vpn_i))
                       && (!flush_asid_valid_i || (!flags_q[i][FlagGlobal] && asid_q[i] == flush_asid_i));
      end
    end
  end
  always_comb begin
    flush_spared_global = '0;
    if (flush_i && flush_asid_valid_i) begin  // only then: a loop over every entry
      for (int unsigned i = 0; i < Entries; i++) begin
        flush_spared_global[i] = valid_q[i] && flags_q[i][FlagGlobal]
                                 && (!flush_vaddr_valid_i || entry_covers(IdxW'(i), flush_vpn_i));
      end
    end
  end
  `MMU_COVER(FlushAll, flush_i && !flush_vaddr_valid_i && !flush_asid_valid_i && flush_sel != '0)
  `MMU_COVER(FlushVaddr, flush_i && flush_vaddr_valid_i && !flush_asid_valid_i && flush_sel != '0)
  `MMU_COVER(FlushAsid, flush_i && !flush_vaddr_valid_i && flush_asid_valid_i && flush_sel != '0)
  `MMU_COVER(FlushVaddrAsid, flush_i && flush_vaddr_valid_i && flush_asid_valid_i
                             && flush_sel != '0)
  `MMU_COVER(FlushSparesGlobal, flush_spared_global != '0)
  `MMU_COVER(HitSuperpage, hit_o && entry_o.level != '0)
  if (!Sv32) begin : gen_napot_cover  // Sv32 PTEs have no N bit
    `MMU_COVER(HitNapot, hit_o && entry_o.napot)
  end
`endif

endmodule
