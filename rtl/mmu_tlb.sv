// mmu_tlb: fully associative L1 TLB with ASID/global tags, superpages,
// Svnapot 64 KiB pages, tree pseudo-LRU replacement and sfence.vma flushes.
//
// Contract:
// - Lookup is combinational: while lookup_i is high, hit_o/entry_o/hit_idx_o
//   describe vpn_i/asid_i in the same cycle; otherwise hit_o is low. When
//   entries overlap (software changed a PTE without an sfence, or mapped a VA
//   globally in one address space and privately in another), the lowest
//   index wins; the reference model follows that rule. The TLB never makes
//   two entries with the same tag itself (RefillNotDuplicate).
// - touch_i marks hit_idx_o as used for replacement.
// - refill_i writes refill_entry_i at refill_idx_o: the first invalid entry,
//   else the pseudo-LRU victim, unless refill_at_hit_i asks to overwrite the
//   entry that hit (a re-walk after a permission miss must not duplicate it).
// - flush_i applies the four sfence.vma forms; it wins over a same-cycle refill.
//
// Storage is one flat vector per field, entry i at [i*W +: W]: Yosys 0.23
// reads neither packed arrays of structs nor multi-dimensional packed arrays.
`include "mmu_assert.svh"

module mmu_tlb #(
  parameter int unsigned Entries = 16,      // a power of two (tree PLRU)
  parameter bit          Sv32    = 1'b0,  // 10-bit VPN fields (RV32 build)
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
  input  logic                        refill_at_hit_i,
  input  logic [IdxW-1:0]             refill_hit_idx_i,
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

  // Tag fields.
  logic [Entries*VpnW-1:0]   vpn_d, vpn_q;
  logic [Entries*LevelW-1:0] level_d, level_q;
  logic [Entries-1:0]        napot_d, napot_q;
  logic [Entries*AsidW-1:0]  asid_d, asid_q;
  logic [Entries-1:0]        global_d, global_q;
  // Data fields.
  logic [Entries*PpnW-1:0]   ppn_d, ppn_q;
  logic [Entries-1:0]        r_d, r_q, w_d, w_q, x_d, x_q, u_d, u_q, dirty_d, dirty_q;
  logic [Entries-1:0]        valid_d, valid_q;

  logic [Entries-1:0] match;
  logic [IdxW-1:0]    plru_victim, free_idx, refill_idx;
  logic               have_free;

  // Whether entry i's tag covers vpn and belongs to asid (or is global).
  function automatic logic entry_covers(int unsigned i, logic [VpnW-1:0] vpn);
    entry_covers = mmu_pkg::vpn_tag_match(vpn_q[i*VpnW +: VpnW], level_q[i*LevelW +: LevelW],
                                          napot_q[i], Sv32, vpn);
  endfunction

  // Lookup: match vector, then the lowest matching index. Only while
  // lookup_i asks, for the same reason as flush_sel below.
  always_comb begin
    hit_o     = 1'b0;
    hit_idx_o = '0;
    match     = '0;
    if (lookup_i) begin
      for (int unsigned i = 0; i < Entries; i++) begin
        match[i] = valid_q[i] && entry_covers(i, vpn_i)
                   && (global_q[i] || asid_q[i*AsidW +: AsidW] == asid_i);
      end
    end
    for (int i = Entries - 1; i >= 0; i--) begin
      if (match[i]) begin
        hit_o     = 1'b1;
        hit_idx_o = IdxW'(i);
      end
    end
  end

  always_comb begin
    entry_o        = '0;
    entry_o.vpn    = vpn_q[hit_idx_o*VpnW +: VpnW];
    entry_o.level  = level_q[hit_idx_o*LevelW +: LevelW];
    entry_o.napot  = napot_q[hit_idx_o];
    entry_o.asid   = asid_q[hit_idx_o*AsidW +: AsidW];
    entry_o.global = global_q[hit_idx_o];
    entry_o.ppn    = ppn_q[hit_idx_o*PpnW +: PpnW];
    entry_o.r      = r_q[hit_idx_o];
    entry_o.w      = w_q[hit_idx_o];
    entry_o.x      = x_q[hit_idx_o];
    entry_o.u      = u_q[hit_idx_o];
    entry_o.d      = dirty_q[hit_idx_o];
  end

  // Refill slot: an invalid entry first, so a cold TLB fills without evicting.
  always_comb begin
    have_free = 1'b0;
    free_idx  = '0;
    for (int i = Entries - 1; i >= 0; i--) begin
      if (!valid_q[i]) begin
        have_free = 1'b1;
        free_idx  = IdxW'(i);
      end
    end
    if (refill_at_hit_i)  refill_idx = refill_hit_idx_i;
    else if (have_free)   refill_idx = free_idx;
    else                  refill_idx = plru_victim;
  end

  // Entries an sfence.vma removes (an ASID-specific fence spares globals).
  // Evaluated only while flush_i is high: the comparison against every entry
  // is the costliest logic here, and in simulation it would otherwise run on
  // every evaluation of the model.
  logic [Entries-1:0] flush_sel;
  always_comb begin
    flush_sel = '0;
    if (flush_i) begin
      for (int unsigned i = 0; i < Entries; i++) begin
        flush_sel[i] = (!flush_vaddr_valid_i || entry_covers(i, flush_vpn_i))
                       && (!flush_asid_valid_i
                           || (!global_q[i] && asid_q[i*AsidW +: AsidW] == flush_asid_i));
      end
    end
  end

  always_comb begin
    vpn_d    = vpn_q;
    level_d  = level_q;
    napot_d  = napot_q;
    asid_d   = asid_q;
    global_d = global_q;
    ppn_d    = ppn_q;
    r_d      = r_q;
    w_d      = w_q;
    x_d      = x_q;
    u_d      = u_q;
    dirty_d  = dirty_q;
    valid_d  = valid_q;
    if (flush_i) begin
      valid_d = valid_q & ~flush_sel;
    end else if (refill_i) begin
      vpn_d[refill_idx*VpnW +: VpnW]       = refill_entry_i.vpn;
      level_d[refill_idx*LevelW +: LevelW] = refill_entry_i.level;
      napot_d[refill_idx]                  = refill_entry_i.napot;
      asid_d[refill_idx*AsidW +: AsidW]    = refill_entry_i.asid;
      global_d[refill_idx]                 = refill_entry_i.global;
      ppn_d[refill_idx*PpnW +: PpnW]       = refill_entry_i.ppn;
      r_d[refill_idx]                      = refill_entry_i.r;
      w_d[refill_idx]                      = refill_entry_i.w;
      x_d[refill_idx]                      = refill_entry_i.x;
      u_d[refill_idx]                      = refill_entry_i.u;
      dirty_d[refill_idx]                  = refill_entry_i.d;
      valid_d[refill_idx]                  = 1'b1;
    end
  end

  mmu_plru_tree #(.Entries(Entries)) u_plru (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .touch_i      (touch_i || (refill_i && !flush_i)),
    .touch_idx_i  (touch_i ? hit_idx_o : refill_idx),
    .victim_idx_o (plru_victim)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      vpn_q    <= '0;
      level_q  <= '0;
      napot_q  <= '0;
      asid_q   <= '0;
      global_q <= '0;
      ppn_q    <= '0;
      r_q      <= '0;
      w_q      <= '0;
      x_q      <= '0;
      u_q      <= '0;
      dirty_q  <= '0;
      valid_q  <= '0;
    end else begin
      vpn_q    <= vpn_d;
      level_q  <= level_d;
      napot_q  <= napot_d;
      asid_q   <= asid_d;
      global_q <= global_d;
      ppn_q    <= ppn_d;
      r_q      <= r_d;
      w_q      <= w_d;
      x_q      <= x_d;
      u_q      <= u_d;
      dirty_q  <= dirty_d;
      valid_q  <= valid_d;
    end
  end

  // A refill never makes a second entry with the same tag (VPN under the
  // page size, size, napot, ASID, G) beside the one it writes. A walk that
  // began with a miss had no entry covering its VPN in its address space, so
  // none may have that tag now. A walk that began with a hit (too few rights,
  // or D clear) overwrites the entry that hit (refill_at_hit_i); another may
  // then hold the same tag only if entries already overlapped at that lookup
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
                      && level_q[i*LevelW +: LevelW] == refill_entry_i.level
                      && napot_q[i] == refill_entry_i.napot
                      && global_q[i] == refill_entry_i.global
                      && (refill_entry_i.global
                          || asid_q[i*AsidW +: AsidW] == refill_entry_i.asid)
                      && entry_covers(i, refill_entry_i.vpn);
      end
    end
  end
  `MMU_ASSERT(RefillNotDuplicate, same_tag == '0 || refill_at_hit_i,
              ("mmu_tlb: refill after a miss, at %0d, duplicates entries %b", refill_idx, same_tag))

  // Every sfence.vma form can remove an entry, and an ASID fence can spare a
  // global one (covers, for make formal).
  logic [Entries-1:0] flush_spared_global;
  always_comb begin
    for (int unsigned i = 0; i < Entries; i++) begin
      flush_spared_global[i] = flush_i && flush_asid_valid_i && valid_q[i] && global_q[i]
                               && (!flush_vaddr_valid_i || entry_covers(i, flush_vpn_i));
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
