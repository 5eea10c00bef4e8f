// mmu_plru_tree: tree pseudo-LRU replacement for a fully associative array.
//
// Entries-1 node bits form a binary tree over the entries. A node bit of 0
// means "the next victim is in the lower half below me", 1 the upper half.
// Touching an entry points every node on its path away from it; the victim is
// found by following the bits from the root. Entries must be a power of two
// (at least 2); elaboration stops otherwise.
module mmu_plru_tree #(
  parameter int unsigned Entries = 16,
  localparam int unsigned IdxW = (Entries > 1) ? $clog2(Entries) : 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            touch_i,      // an access used entry touch_idx_i
  input  logic [IdxW-1:0] touch_idx_i,
  output logic [IdxW-1:0] victim_idx_o  // least recently used, approximately
);

  // The tree only covers a power of two: with 12 entries it would name
  // victims 12..15, which do not exist. Stop at elaboration instead.
  if (Entries < 2 || (Entries & (Entries - 1)) != 0) begin : gen_entries_check
    $error("mmu_plru_tree: Entries must be a power of two of at least 2, got %0d", Entries);
  end

  localparam int unsigned Levels = $clog2(Entries);
  localparam int unsigned Nodes  = (Entries > 1) ? Entries - 1 : 1;

  logic [Nodes-1:0] tree_d, tree_q;

  // Node numbering: root is 0, children of n are 2n+1 (lower) and 2n+2 (upper).
  // Walk the touched entry's path from the root, pointing each node away.
  always_comb begin
    logic [IdxW:0] node;
    logic          went_upper;
    tree_d = tree_q;
    node   = '0;
    went_upper = 1'b0;
    if (touch_i) begin
      for (int unsigned lvl = 0; lvl < Levels; lvl++) begin
        went_upper   = touch_idx_i[Levels-1-lvl];
        tree_d[node[IdxW-1:0]] = ~went_upper;
        node = 2 * node + 1 + {{IdxW{1'b0}}, went_upper};
      end
    end
  end

  always_comb begin
    logic [IdxW:0] node;
    node = '0;
    victim_idx_o = '0;
    for (int unsigned lvl = 0; lvl < Levels; lvl++) begin
      victim_idx_o[Levels-1-lvl] = tree_q[node[IdxW-1:0]];
      node = 2 * node + 1 + {{IdxW{1'b0}}, tree_q[node[IdxW-1:0]]};
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) tree_q <= '0;
    else         tree_q <= tree_d;
  end

endmodule
