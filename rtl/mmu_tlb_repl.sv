// mmu_tlb_repl: the replacement state of a set-associative array, one
// policy chosen by parameter (mmu_pkg::REPL_*):
//
//   REPL_PLRU    tree pseudo-LRU per set (Ways-1 bits): a touch points the
//                path's nodes away from the way, the victim follows them
//   REPL_LRU     true LRU per set: an age per way (0 newest), a permutation
//                of 0..Ways-1 from reset; a touch makes the way 0 and ages
//                the younger ones; the victim is the oldest
//   REPL_FIFO    a round-robin pointer per set, advanced on each eviction:
//                touches do not matter
//   REPL_RANDOM  one 16-bit LFSR (x^16 + x^14 + x^13 + x^11 + 1, seed
//                0xACE1), advanced on each eviction; the victim is its low
//                bits
//
// Contract: victim_way_o names the way to evict in set victim_set_i (it is
// a function of the state only). touch_i marks touch_way_i of touch_set_i
// used (a hit, or a refill); evict_i says a refill replaced victim_way_o of
// victim_set_i in this cycle. Only the sets named are read or written, so
// simulation cost follows the ways of one set, not Sets x Ways: each
// policy's next state is computed for the touched set alone, and the flops
// write only that set's bits (no "next = current" copy of every set, which
// a simulator would pay for on every cycle).
// testbench/check/tlb_model.cpp models each policy exactly, to predict hits.
module mmu_tlb_repl #(
  parameter int unsigned Sets   = 1,
  parameter int unsigned Ways   = 16,
  parameter int unsigned Policy = 0,  // mmu_pkg::REPL_*
  localparam int unsigned SetW = (Sets > 1) ? $clog2(Sets) : 1,
  localparam int unsigned WayW = (Ways > 1) ? $clog2(Ways) : 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            touch_i,
  input  logic [SetW-1:0] touch_set_i,
  input  logic [WayW-1:0] touch_way_i,
  input  logic            evict_i,
  input  logic [SetW-1:0] victim_set_i,
  output logic [WayW-1:0] victim_way_o
);

  if (Policy > mmu_pkg::REPL_RANDOM) begin : gen_policy_check
    $error("mmu_tlb_repl: Policy %0d names no policy (mmu_pkg::REPL_*)", Policy);
  end

  localparam int unsigned Levels = $clog2(Ways);
  localparam int unsigned Nodes  = (Ways > 1) ? Ways - 1 : 1;

  if (Ways == 1) begin : gen_direct_mapped
    assign victim_way_o = '0;
    logic unused;
    assign unused = ^{clk_i, rst_ni, touch_i, touch_set_i, touch_way_i, evict_i, victim_set_i};

  end else if (Policy == mmu_pkg::REPL_PLRU) begin : gen_plru
    // Node numbering per set: root 0, children of n at 2n+1 (lower half) and
    // 2n+2 (upper half); a node bit of 1 sends the victim to the upper half.
    logic [Sets*Nodes-1:0] tree_q;
    logic [Nodes-1:0]      touched_tree;  // the touched set's tree after the touch
    always_comb begin
      logic [WayW:0] node;
      touched_tree = tree_q[touch_set_i*Nodes +: Nodes];
      node         = '0;
      if (touch_i) begin  // only then: most cycles touch nothing
        for (int unsigned lvl = 0; lvl < Levels; lvl++) begin
          touched_tree[node[WayW-1:0]] = ~touch_way_i[Levels-1-lvl];
          node = 2 * node + 1 + {{WayW{1'b0}}, touch_way_i[Levels-1-lvl]};
        end
      end
    end
    always_comb begin
      logic [Nodes-1:0] t;
      logic [WayW:0]    node;
      t    = tree_q[victim_set_i*Nodes +: Nodes];
      node = '0;
      victim_way_o = '0;
      for (int unsigned lvl = 0; lvl < Levels; lvl++) begin
        victim_way_o[Levels-1-lvl] = t[node[WayW-1:0]];
        node = 2 * node + 1 + {{WayW{1'b0}}, t[node[WayW-1:0]]};
      end
    end
    // Only the touched set's bits are written (and so copied by a simulator).
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni)      tree_q <= '0;
      else if (touch_i) tree_q[touch_set_i*Nodes +: Nodes] <= touched_tree;
    end
    logic unused;
    assign unused = evict_i;

  end else if (Policy == mmu_pkg::REPL_LRU) begin : gen_lru
    logic [Sets*Ways*WayW-1:0] age_q;
    logic [Ways*WayW-1:0]      touched_ages;  // the touched set's ages after the touch
    always_comb begin
      logic [Ways*WayW-1:0] ages;
      logic [WayW-1:0]      old;
      ages         = age_q[32'(touch_set_i)*Ways*WayW +: Ways*WayW];
      old          = ages[32'(touch_way_i)*WayW +: WayW];
      touched_ages = ages;
      if (touch_i) begin  // only then: most cycles touch nothing
        for (int unsigned w = 0; w < Ways; w++) begin
          if (ages[w*WayW +: WayW] < old) touched_ages[w*WayW +: WayW] = ages[w*WayW +: WayW] + 1'b1;
        end
        touched_ages[32'(touch_way_i)*WayW +: WayW] = '0;
      end
    end
    always_comb begin
      int unsigned base;
      base = 32'(victim_set_i) * Ways;
      victim_way_o = '0;
      for (int unsigned w = 0; w < Ways; w++) begin
        if (age_q[(base + w)*WayW +: WayW] == WayW'(Ways - 1)) victim_way_o = WayW'(w);
      end
    end
    // Reset to the permutation age(w) = w, so way Ways-1 is the first victim.
    logic [Sets*Ways*WayW-1:0] age_reset;
    always_comb begin
      for (int unsigned i = 0; i < Sets * Ways; i++) age_reset[i*WayW +: WayW] = WayW'(i % Ways);
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni)      age_q <= age_reset;
      else if (touch_i) age_q[32'(touch_set_i)*Ways*WayW +: Ways*WayW] <= touched_ages;
    end
    logic unused;
    assign unused = evict_i;

  end else if (Policy == mmu_pkg::REPL_FIFO) begin : gen_fifo
    logic [Sets*WayW-1:0] ptr_q;
    assign victim_way_o = ptr_q[victim_set_i*WayW +: WayW];
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni)      ptr_q <= '0;
      else if (evict_i) ptr_q[victim_set_i*WayW +: WayW] <= victim_way_o + 1'b1;
    end
    logic unused;
    assign unused = ^{touch_i, touch_set_i, touch_way_i};

  end else begin : gen_random
    logic [15:0] lfsr_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni)      lfsr_q <= 16'hACE1;
      else if (evict_i) lfsr_q <= {lfsr_q[14:0], lfsr_q[15] ^ lfsr_q[13] ^ lfsr_q[12] ^ lfsr_q[10]};
    end
    assign victim_way_o = lfsr_q[WayW-1:0];
    logic unused;
    assign unused = ^{touch_i, touch_set_i, touch_way_i, victim_set_i, lfsr_q[15:WayW]};
  end

endmodule
