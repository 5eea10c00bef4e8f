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
module mmu_tlb
  import mmu_pkg::*;
#(
  parameter int unsigned Entries = 16,      // a power of two (tree PLRU)
  parameter bit          Sv32    = 1'b0,  // 10-bit VPN fields (RV32 build)
  localparam int unsigned IdxW = (Entries > 1) ? $clog2(Entries) : 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic              lookup_i,     // a lookup is wanted this cycle
  input  logic [VPN_W-1:0]  vpn_i,
  input  logic [ASID_W-1:0] asid_i,
  output logic              hit_o,
  output logic [IdxW-1:0]   hit_idx_o,
  output tlb_entry_t        entry_o,
  input  logic              touch_i,

  input  logic              refill_i,
  input  logic              refill_at_hit_i,
  input  logic [IdxW-1:0]   refill_hit_idx_i,
  input  tlb_entry_t        refill_entry_i,

  input  logic              flush_i,
  input  logic              flush_vaddr_valid_i,
  input  logic [VPN_W-1:0]  flush_vpn_i,
  input  logic              flush_asid_valid_i,
  input  logic [ASID_W-1:0] flush_asid_i
);

  tlb_entry_t [Entries-1:0] entry_d, entry_q;
  logic       [Entries-1:0] valid_d, valid_q;
  logic       [Entries-1:0] match;
  logic       [IdxW-1:0]    plru_victim, free_idx, refill_idx;
  logic                     have_free;

  // vpn_matches reads only the tag fields of an entry.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic vpn_matches(tlb_entry_t e, logic [VPN_W-1:0] vpn);
    logic [VPN_W-1:0] care;
    care = ~vpn_offset_mask(e.level, e.napot, Sv32);
    vpn_matches = ((e.vpn ^ vpn) & care) == '0;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // Lookup: match vector, then the lowest matching index. Only while
  // lookup_i asks, for the same reason as flush_sel below.
  always_comb begin
    hit_o     = 1'b0;
    hit_idx_o = '0;
    match     = '0;
    if (lookup_i) begin
      for (int unsigned i = 0; i < Entries; i++) begin
        match[i] = valid_q[i] && vpn_matches(entry_q[i], vpn_i)
                   && (entry_q[i].global || entry_q[i].asid == asid_i);
      end
    end
    for (int i = Entries - 1; i >= 0; i--) begin
      if (match[i]) begin
        hit_o     = 1'b1;
        hit_idx_o = IdxW'(i);
      end
    end
    entry_o = entry_q[hit_idx_o];
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
        flush_sel[i] = (!flush_vaddr_valid_i || vpn_matches(entry_q[i], flush_vpn_i))
                       && (!flush_asid_valid_i
                           || (!entry_q[i].global && entry_q[i].asid == flush_asid_i));
      end
    end
  end

  always_comb begin
    entry_d = entry_q;
    valid_d = valid_q;
    if (flush_i) begin
      valid_d = valid_q & ~flush_sel;
    end else if (refill_i) begin
      entry_d[refill_idx] = refill_entry_i;
      valid_d[refill_idx] = 1'b1;
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
      valid_q <= '0;
      entry_q <= '0;
    end else begin
      valid_q <= valid_d;
      entry_q <= entry_d;
    end
  end

`ifdef VMSIM_ASSERT
  // A refill never makes a second entry with the same tag (VPN under the
  // page size, size, napot, ASID, G): a re-walk overwrites the entry that hit.
  // The one exception is where entries already overlapped, so the lookup
  // found several: the lowest one is overwritten, and another may hold the
  // new tag already. Overlaps (a stale 4 KiB page under a new 2 MiB page, or
  // one VA mapped globally in one space and privately in another) are
  // software's doing, no fence or inconsistent G mappings, and legal: the
  // lowest index wins (see the contract above).
  logic [Entries-1:0] same_tag;
  always_comb begin
    same_tag = '0;
    if (refill_i && !flush_i) begin
      for (int unsigned i = 0; i < Entries; i++) begin
        same_tag[i] = valid_q[i] && IdxW'(i) != refill_idx
                      && entry_q[i].level == refill_entry_i.level && entry_q[i].napot == refill_entry_i.napot
                      && entry_q[i].global == refill_entry_i.global
                      && (refill_entry_i.global || entry_q[i].asid == refill_entry_i.asid)
                      && vpn_matches(entry_q[i], refill_entry_i.vpn);
      end
    end
  end
  RefillNotDuplicate: assert property (@(posedge clk_i) disable iff (!rst_ni)
                                       same_tag != '0 |-> !$onehot0(match))
    else $error("mmu_tlb: refill at %0d duplicates entries %b, with one match %b", refill_idx, same_tag, match);
`endif

endmodule
