// mmu_req_slot: one outstanding translation in mmu_top, from the cycle the
// request is accepted to the cycle its response leaves.
//
// mmu_top decides every move (see its header); a slot holds the request and
// its result, and reacts to the events addressed to it:
// - alloc_i: the accepted request moves in, in the state the top chose
//   (RESP with its result after an L1 hit or in Bare mode; L2; WALK on
//   walker alloc_walker_i; WALKQ; PARKED on slot alloc_park_i).
// - l2_i: its L2 lookup happened: RESP with l2_result, or WALK/WALKQ.
// - start_i: a walker (start_walker_i) takes it from WALKQ.
// - retire_i: walker retire_walker_i finished; the walk's result is its own
//   if it is the one in WALK on that walker.
// - resolve_i: slot resolve_slot_i got a leaf (resolve_ok_i, resolve_entry_i:
//   from the L2 or a walk that may fill the TLBs) or ended without one. A
//   slot PARKED on it answers from that leaf if the leaf allows its access
//   (the TLB-hit rule, mmu_pkg::hit_usable), as a merged miss; otherwise it
//   needs a walk of its own (WALKQ).
// - respond_i: the response port takes its result; it is free after the edge.
// The L2 wait counts down on its own: l2_due_o once L2Latency cycles passed.
`include "mmu_assert.svh"

module mmu_req_slot #(
  parameter bit          Sv32      = 1'b0,
  parameter int unsigned L2Latency = 2,
  parameter int unsigned SlotW     = 1,
  parameter int unsigned WalkW     = 1
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  mmu_pkg::satp_mode_e         satp_mode_i,
  input  logic                        sum_i,
  input  logic                        mxr_i,

  input  logic                        alloc_i,
  input  mmu_pkg::slot_state_e        alloc_state_i,
  input  logic [WalkW-1:0]            alloc_walker_i,
  input  logic [SlotW-1:0]            alloc_park_i,
  input  logic [mmu_pkg::REQ_ID_W-1:0] req_id_i,
  input  logic [mmu_pkg::VLEN-1:0]    req_vaddr_i,
  input  mmu_pkg::access_e            req_access_i,
  input  logic                        req_priv_s_i,
  input  logic                        req_fetch_side_i,
  input  logic [mmu_pkg::PLEN-1:0]    hit_paddr_i,   // the result, with alloc into RESP
  input  logic                        hit_fault_i,
  input  mmu_pkg::cause_e             hit_cause_i,
  input  logic                        hit_tlb_i,

  input  logic                        l2_i,
  input  mmu_pkg::slot_state_e        l2_state_i,    // RESP (an L2 hit), WALK or WALKQ
  input  logic [WalkW-1:0]            l2_walker_i,
  input  logic [mmu_pkg::PLEN-1:0]    l2_paddr_i,

  input  logic                        start_i,
  input  logic [WalkW-1:0]            start_walker_i,

  input  logic                        retire_i,
  input  logic [WalkW-1:0]            retire_walker_i,
  input  logic [mmu_pkg::PLEN-1:0]    walk_paddr_i,
  input  logic                        walk_fault_i,
  input  mmu_pkg::cause_e             walk_cause_i,
  input  logic [2:0]                  walk_reads_i,

  input  logic                        resolve_i,
  input  logic [SlotW-1:0]            resolve_slot_i,
  input  logic                        resolve_ok_i,
  input  mmu_pkg::tlb_entry_t         resolve_entry_i,

  input  logic                        respond_i,

  output mmu_pkg::slot_state_e        state_o,
  output logic                        l2_due_o,
  output logic [WalkW-1:0]            walker_o,
  output logic [mmu_pkg::REQ_ID_W-1:0] id_o,
  output logic [mmu_pkg::VLEN-1:0]    vaddr_o,
  output mmu_pkg::access_e            access_o,
  output logic                        priv_s_o,
  output logic                        fetch_side_o,
  output logic [mmu_pkg::PLEN-1:0]    paddr_o,
  output logic                        fault_o,
  output mmu_pkg::cause_e             cause_o,
  output logic                        tlb_hit_o,
  output logic                        l2_hit_o,
  output logic                        merged_o,
  output logic [2:0]                  pte_reads_o    // of its own walk (0: none)
);

  mmu_pkg::slot_state_e        state_d, state_q;
  logic [7:0]                  l2_wait_d, l2_wait_q;
  logic [WalkW-1:0]            walker_d, walker_q;
  logic [SlotW-1:0]            park_d, park_q;
  logic [mmu_pkg::PLEN-1:0]    paddr_d, paddr_q;
  logic                        fault_d, fault_q, tlb_hit_d, tlb_hit_q, l2_hit_d, l2_hit_q;
  logic                        merged_d, merged_q;
  logic [2:0]                  reads_d, reads_q;
  mmu_pkg::cause_e             cause_d, cause_q;
  logic [mmu_pkg::REQ_ID_W-1:0] id_q;
  logic [mmu_pkg::VLEN-1:0]    vaddr_q;
  mmu_pkg::access_e            access_q;
  logic                        priv_s_q, fetch_side_q;

  // A parked slot's answer from the leaf it waited for: computed only in a
  // cycle that resolves the slot it waits on.
  logic woken, wake_usable;
  assign woken = state_q == mmu_pkg::SLOT_PARKED && resolve_i && resolve_slot_i == park_q;
  always_comb begin
    wake_usable = 1'b0;
    if (woken && resolve_ok_i) begin
      wake_usable = mmu_pkg::hit_usable(1'b1, resolve_entry_i.r, resolve_entry_i.w, resolve_entry_i.x,
                                        resolve_entry_i.u, resolve_entry_i.d, satp_mode_i, vaddr_q[63:38],
                                        access_q, priv_s_q, sum_i, mxr_i);
    end
  end

  always_comb begin
    state_d   = state_q;
    l2_wait_d = l2_wait_q;
    walker_d  = walker_q;
    park_d    = park_q;
    paddr_d   = paddr_q;
    fault_d   = fault_q;
    cause_d   = cause_q;
    tlb_hit_d = tlb_hit_q;
    l2_hit_d  = l2_hit_q;
    merged_d  = merged_q;
    reads_d   = reads_q;
    if (respond_i) state_d = mmu_pkg::SLOT_FREE;
    if (state_q == mmu_pkg::SLOT_L2 && l2_wait_q != '0) l2_wait_d = l2_wait_q - 8'd1;
    if (alloc_i) begin
      state_d   = alloc_state_i;
      l2_wait_d = 8'(L2Latency - 1);
      walker_d  = alloc_walker_i;
      park_d    = alloc_park_i;
      paddr_d   = hit_paddr_i;
      fault_d   = hit_fault_i;
      cause_d   = hit_cause_i;
      tlb_hit_d = hit_tlb_i;
      l2_hit_d  = 1'b0;
      merged_d  = 1'b0;
      reads_d   = '0;
    end else if (l2_i) begin
      state_d  = l2_state_i;
      walker_d = l2_walker_i;
      if (l2_state_i == mmu_pkg::SLOT_RESP) begin
        paddr_d   = l2_paddr_i;
        fault_d   = 1'b0;
        cause_d   = mmu_pkg::CAUSE_NONE;
        tlb_hit_d = 1'b1;
        l2_hit_d  = 1'b1;
      end
    end else if (start_i) begin
      state_d  = mmu_pkg::SLOT_WALK;
      walker_d = start_walker_i;
    end else if (retire_i && state_q == mmu_pkg::SLOT_WALK && walker_q == retire_walker_i) begin
      state_d = mmu_pkg::SLOT_RESP;
      paddr_d = walk_paddr_i;
      fault_d = walk_fault_i;
      cause_d = walk_cause_i;
      reads_d = walk_reads_i;
    end else if (woken) begin
      if (wake_usable) begin
        state_d  = mmu_pkg::SLOT_RESP;
        paddr_d  = mmu_pkg::leaf_paddr(resolve_entry_i.ppn, resolve_entry_i.level, resolve_entry_i.napot,
                                       Sv32, vaddr_q[mmu_pkg::PLEN-1:0]);
        fault_d  = 1'b0;
        cause_d  = mmu_pkg::CAUSE_NONE;
        merged_d = 1'b1;
      end else begin
        state_d = mmu_pkg::SLOT_WALKQ;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= mmu_pkg::SLOT_FREE;
      l2_wait_q <= '0;
      walker_q  <= '0;
      park_q    <= '0;
      paddr_q   <= '0;
      fault_q   <= 1'b0;
      cause_q   <= mmu_pkg::CAUSE_NONE;
      tlb_hit_q <= 1'b0;
      l2_hit_q  <= 1'b0;
      merged_q  <= 1'b0;
      reads_q   <= '0;
    end else begin
      state_q   <= state_d;
      l2_wait_q <= l2_wait_d;
      walker_q  <= walker_d;
      park_q    <= park_d;
      paddr_q   <= paddr_d;
      fault_q   <= fault_d;
      cause_q   <= cause_d;
      tlb_hit_q <= tlb_hit_d;
      l2_hit_q  <= l2_hit_d;
      merged_q  <= merged_d;
      reads_q   <= reads_d;
    end
  end
  // The request itself (read only while the slot holds it): no reset needed.
  always_ff @(posedge clk_i) begin
    if (alloc_i) begin
      id_q         <= req_id_i;
      vaddr_q      <= req_vaddr_i;
      access_q     <= req_access_i;
      priv_s_q     <= req_priv_s_i;
      fetch_side_q <= req_fetch_side_i;
    end
  end

  logic unused_entry;  // the leaf's tag was matched by the top (the same VPN)
  assign unused_entry = ^{resolve_entry_i.vpn, resolve_entry_i.asid, resolve_entry_i.global};

  assign state_o      = state_q;
  assign l2_due_o     = state_q == mmu_pkg::SLOT_L2 && l2_wait_q == '0;
  assign walker_o     = walker_q;
  assign id_o         = id_q;
  assign vaddr_o      = vaddr_q;
  assign access_o     = access_q;
  assign priv_s_o     = priv_s_q;
  assign fetch_side_o = fetch_side_q;
  assign paddr_o      = paddr_q;
  assign fault_o      = fault_q;
  assign cause_o      = cause_q;
  assign tlb_hit_o    = tlb_hit_q;
  assign l2_hit_o     = l2_hit_q;
  assign merged_o     = merged_q;
  assign pte_reads_o  = reads_q;

  // The top moves a slot by one event per cycle, and only a slot that holds
  // a request (alloc only a free one, or one whose response leaves now).
  `MMU_ASSERT(SlotOneEvent, 32'(alloc_i) + 32'(l2_i) + 32'(start_i) <= 1,
              ("mmu_req_slot: two moves in one cycle (alloc %0d l2 %0d start %0d)", alloc_i, l2_i, start_i))
  `MMU_ASSERT(SlotAllocFree, !alloc_i || state_q == mmu_pkg::SLOT_FREE || respond_i,
              ("mmu_req_slot: a request put in a busy slot (state %0d)", state_q))
  `MMU_ASSERT(SlotStateLegal, state_q == mmu_pkg::SLOT_FREE || state_q == mmu_pkg::SLOT_RESP
                              || state_q == mmu_pkg::SLOT_L2 || state_q == mmu_pkg::SLOT_WALKQ
                              || state_q == mmu_pkg::SLOT_WALK || state_q == mmu_pkg::SLOT_PARKED,
              ("mmu_req_slot: illegal state %0d", state_q))

endmodule
