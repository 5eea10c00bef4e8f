// mmu_formal: the environment in which make formal proves mmu_top.
//
// Every input of the MMU is left free, so the solver tries every request,
// satp value, control bit, sfence form and PTE the memory might return, on
// every cycle. Only three things constrain it:
// - reset is held in the first cycle and never again (the assertions are
//   disabled under reset, as in simulation);
// - the protocol rules the RTL states as assumptions (`MMU_ASSUME in
//   mmu_top and mmu_ptw: no satp write under a walk, no memory response
//   without a request);
// - nothing else: a memory that never answers, or answers with any data, an
//   error or back-pressure, is part of what is proven.
// The assertions and covers are the RTL's own (`MMU_ASSERT, `MMU_COVER),
// read by Yosys as immediate assertions under -DFORMAL (rtl/mmu_assert.svh).
module mmu_formal #(
  parameter int unsigned Sets         = 1,   // the TLB geometry (mmu_tlb)
  parameter int unsigned Ways         = 4,
  parameter int unsigned Policy       = 0,
  parameter int unsigned SuperEntries = 0,
  parameter int unsigned PwcEntries   = 0,   // page-walk caches of level-1 and level-2 pointers (0: none)
  parameter int unsigned Xlen         = 64,
  parameter int unsigned Slots        = 1,   // outstanding translations
  parameter int unsigned Walkers      = 1    // page-table walkers
) (
  input  logic                             clk_i,
  input  logic                             satp_we_i,
  input  logic [63:0]                      satp_i,
  input  logic                             sum_i,
  input  logic                             mxr_i,
  input  logic                             adue_i,
  input  logic                             flush_i,
  input  logic                             flush_vaddr_valid_i,
  input  logic [mmu_pkg::VLEN-1:0]         flush_vaddr_i,
  input  logic                             flush_asid_valid_i,
  input  logic [mmu_pkg::ASID_W-1:0]       flush_asid_i,
  input  logic                             req_valid_i,
  input  logic [mmu_pkg::REQ_ID_W-1:0]     req_id_i,
  input  logic [mmu_pkg::VLEN-1:0]         req_vaddr_i,
  input  mmu_pkg::access_e                 req_access_i,
  input  logic                             req_priv_s_i,
  input  logic                             mem_req_ready_i,
  input  logic                             mem_rsp_valid_i,
  input  logic [63:0]                      mem_rsp_rdata_i,
  input  logic                             mem_rsp_error_i
);

  // The MMU's outputs stay inside: logic that feeds no check is then removed
  // before the proof (opt_clean), which keeps the solver on the control path
  // and the tags, not the physical-address datapath.
  logic req_ready_o;
  logic resp_valid_o;
  logic [mmu_pkg::PLEN-1:0] resp_paddr_o;
  logic resp_fault_o;
  mmu_pkg::cause_e resp_cause_o;
  logic resp_tlb_hit_o;
  logic resp_l2_hit_o;
  logic [mmu_pkg::REQ_ID_W-1:0] resp_id_o;
  logic resp_merged_o;
  logic [2:0] resp_pte_reads_o;
  logic [3:0] walkers_busy_o;
  logic mem_req_valid_o;
  logic [mmu_pkg::PLEN-1:0] mem_req_addr_o;
  logic mem_req_we_o;
  logic [63:0] mem_req_wdata_o;

  // Reset in the first cycle only.
  logic first_q = 1'b1;
  logic rst_ni;
  always @(posedge clk_i) first_q <= 1'b0;
  assign rst_ni = !first_q;

  mmu_top #(.Sets(Sets), .Ways(Ways), .Policy(Policy), .SuperEntries(SuperEntries),
            .Pwc1Entries(PwcEntries), .Pwc2Entries(PwcEntries), .Xlen(Xlen),
            .Slots(Slots), .Walkers(Walkers)) u_dut (
    .clk_i, .rst_ni,
    .satp_we_i, .satp_i, .sum_i, .mxr_i, .adue_i,
    .flush_i, .flush_vaddr_valid_i, .flush_vaddr_i, .flush_asid_valid_i, .flush_asid_i,
    .req_valid_i, .req_ready_o, .req_id_i, .req_vaddr_i, .req_access_i, .req_priv_s_i,
    .resp_valid_o, .resp_paddr_o, .resp_fault_o, .resp_cause_o, .resp_tlb_hit_o, .resp_l2_hit_o,
    .resp_id_o, .resp_merged_o, .resp_pte_reads_o, .walkers_busy_o,
    .mem_req_valid_o, .mem_req_ready_i, .mem_req_addr_o, .mem_req_we_o, .mem_req_wdata_o,
    .mem_rsp_valid_i, .mem_rsp_rdata_i, .mem_rsp_error_i
  );

endmodule
