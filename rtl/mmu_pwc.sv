// mmu_pwc: the page-walk caches, one per level of pointer PTEs, shared by
// every walker (mmu_ptw).
//
// The cache of level N (PwcNEntries > 0, N = 1..4; Sv32 has only N = 1)
// holds pointer PTEs read at level N, that is the base of a level N-1 table,
// tagged like a level-N superpage (the VPN bits above level N's offset),
// with the ASID and the G bit seen on the path down to it. Each is an
// mmu_tlb of one set (fully associative, PwcNPolicy).
//
// Contract:
// - lookup_i (a walk starts this cycle): every cache of a level the mode has
//   (top_level_i and below) looks up vpn_i at once; start_level_o names the
//   lowest level that hit (0: none), ppn_o the table its pointer names and
//   global_o the G bit on the path to it. Only that entry is touched for
//   replacement. The walk begins below that level.
// - fill_i: a pointer a walk followed (fill_entry_i, its level in .level)
//   fills its level's cache, over the entry a lookup would hit if there is
//   one (two walkers may follow the same pointer), so nothing is duplicated.
//   mmu_top never looks up and fills in the same cycle.
// - An sfence flushes the caches by the TLB's rules: an address fence
//   removes the entries whose tag covers the address (stricter than the spec
//   asks: it lets software fence a changed pointer by address), an ASID
//   fence spares global ones.
`include "mmu_assert.svh"

module mmu_pwc
#(
  parameter bit          Sv32        = 1'b0,
  parameter int unsigned Pwc1Entries = 0,     // entries (0: none), a power of two
  parameter int unsigned Pwc1Policy  = 0,     // replacement policy (mmu_pkg::REPL_*)
  parameter int unsigned Pwc2Entries = 0,
  parameter int unsigned Pwc2Policy  = 0,
  parameter int unsigned Pwc3Entries = 0,
  parameter int unsigned Pwc3Policy  = 0,
  parameter int unsigned Pwc4Entries = 0,
  parameter int unsigned Pwc4Policy  = 0
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,

  input  logic                        lookup_i,
  input  logic [mmu_pkg::VPN_W-1:0]   vpn_i,
  input  logic [mmu_pkg::ASID_W-1:0]  asid_i,
  input  logic [mmu_pkg::LEVEL_W-1:0] top_level_i,
  output logic [mmu_pkg::LEVEL_W-1:0] start_level_o,
  output logic [mmu_pkg::PPN_W-1:0]   ppn_o,
  output logic                        global_o,

  input  logic                        fill_i,
  input  mmu_pkg::tlb_entry_t         fill_entry_i,

  input  logic                        flush_i,
  input  logic                        flush_vaddr_valid_i,
  input  logic [mmu_pkg::VPN_W-1:0]   flush_vpn_i,
  input  logic                        flush_asid_valid_i,
  input  logic [mmu_pkg::ASID_W-1:0]  flush_asid_i
);

  localparam int unsigned EntryW = mmu_pkg::TLB_ENTRY_W;
  localparam int unsigned MaxPwcLevel = Sv32 ? 1 : 4;
  logic [4:1]            pwc_hit;
  logic [4*EntryW-1:0]   pwc_entries;  // level L's hit at [(L-1)*EntryW +: EntryW]
  logic [mmu_pkg::LEVEL_W-1:0] pwc_start;  // the lowest level that hit, 0: none
  // The caches see the address only while a walk starts: between walks their
  // inputs stay still, so a simulator need not re-evaluate them on TLB hits.
  logic [mmu_pkg::VPN_W-1:0] pwc_vpn;
  assign pwc_vpn = lookup_i ? vpn_i : '0;
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
        .lookup_i            (lookup_i && 3'(L) <= top_level_i),
        .vpn_i               (pwc_vpn),
        .asid_i              (asid_i),
        .hit_o               (hit),
        .hit_idx_o           (hit_idx),
        .entry_o             (pwc_entries[(L-1)*EntryW +: EntryW]),
        .touch_i             (lookup_i && pwc_start == 3'(L)),
        .refill_i            (fill_i && fill_entry_i.level == 3'(L)),
        .refill_entry_i      (fill_entry_i),
        .flush_i             (flush_i),
        .flush_vaddr_valid_i (flush_vaddr_valid_i),
        .flush_vpn_i         (flush_vpn_i),
        .flush_asid_valid_i  (flush_asid_valid_i),
        .flush_asid_i        (flush_asid_i)
      );
      assign pwc_hit[L] = hit;
      logic unused_hit_idx;  // the cache finds its own entry to touch
      assign unused_hit_idx = ^hit_idx;
    end else begin : gen_none
      assign pwc_hit[L] = 1'b0;
      assign pwc_entries[(L-1)*EntryW +: EntryW] = '0;
    end
  end
  // The lowest level that hit: the walk starts in the table it names.
  always_comb begin
    pwc_start = '0;
    for (int unsigned l = 4; l >= 1; l--) begin
      if (pwc_hit[l]) pwc_start = mmu_pkg::LEVEL_W'(l);
    end
  end
  // The slot of that level, 0 when none hit: the part-select's index stays in
  // range either way (a simulator computes both arms of the ?:, and an index
  // out of range would read past the vector in Verilator's C++).
  mmu_pkg::tlb_entry_t pwc_entry;
  logic [1:0] pwc_slot;
  assign pwc_slot      = (pwc_start == '0) ? 2'd0 : 2'(pwc_start - 3'd1);
  assign pwc_entry     = (pwc_start == '0) ? '0 : pwc_entries[32'(pwc_slot) * EntryW +: EntryW];
  assign start_level_o = pwc_start;
  assign ppn_o         = pwc_entry.ppn;
  assign global_o      = pwc_entry.global;
  logic unused_pwc_entry;  // a pointer has no rights; its tag was compared in the cache
  assign unused_pwc_entry = ^{pwc_entry.vpn, pwc_entry.level, pwc_entry.napot, pwc_entry.asid,
                              pwc_entry.r, pwc_entry.w, pwc_entry.x, pwc_entry.u, pwc_entry.d};
  logic unused_inputs;  // read only by the caches (and covers) a build has
  assign unused_inputs = ^{flush_vaddr_valid_i, flush_vpn_i, flush_asid_valid_i, flush_asid_i,
                           fill_i, fill_entry_i, pwc_vpn, asid_i, top_level_i, flush_i,
                           clk_i, rst_ni};

  `MMU_ASSERT(PwcNoLookupWithFill, !(lookup_i && fill_i),
              ("mmu_pwc: a lookup and a fill in the same cycle"))

`ifdef MMU_CHECKS_ON
  // Each page-walk cache serves a walk (one name per level: Yosys 0.23 wants
  // assertion names unique across generate scopes).
  if (Pwc1Entries > 0) begin : gen_pwc1_cover
    `MMU_COVER(PwcHit1, lookup_i && pwc_start == 3'd1)
  end
  if (Pwc2Entries > 0 && !Sv32) begin : gen_pwc2_cover
    `MMU_COVER(PwcHit2, lookup_i && pwc_start == 3'd2)
  end
  if (Pwc3Entries > 0 && !Sv32) begin : gen_pwc3_cover
    `MMU_COVER(PwcHit3, lookup_i && pwc_start == 3'd3)
  end
  if (Pwc4Entries > 0 && !Sv32) begin : gen_pwc4_cover
    `MMU_COVER(PwcHit4, lookup_i && pwc_start == 3'd4)
  end
`endif

endmodule
