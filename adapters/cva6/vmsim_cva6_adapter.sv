// vmsim_cva6_adapter: CVA6's MMU (cva6_mmu, configuration cv64a6_imafdc_sv39)
// behind vmsim's device contract (docs/device.md). The adapter plays the
// parts of the CVA6 core around its MMU, and nothing else:
//
//   - the CSR file: satp (a write of an unsupported MODE is ignored, as
//     CVA6's CSR file does: satp is WARL), SUM, MXR; translation is on when
//     satp.MODE is Sv39 (requests are always S or U mode);
//   - the pipeline: a satp write, an sfence.vma and every fault response
//     flush it (CVA6 flushes on CSR writes, fences and traps), which also
//     kills a walk still running;
//   - the load/store unit and the instruction fetch: a request is held until
//     the MMU answers (lsu_valid_o, icache_areq_o.fetch_valid), as CVA6's
//     load unit and frontend hold theirs;
//   - the data cache's port for the walker: a request is granted, its tag
//     arrives a cycle later (tag_valid), it goes to vmsim's memory and the
//     word comes back as data_rvalid;
//   - the PMP: one TOR region [0, MemBytes) with R/W/X, so a PTE read
//     outside memory is an access fault. CVA6's cache port has no error
//     response: the PMP is the only way a walker's bad access is reported,
//     and MemBytes must match vmsim's memory (64 MiB for `vmsim random`).
//
// CVA6 implements Sv39 with Svnapot and without Svadu or Svpbmt: build it
// with features "sv39 svnapot" (CMakeLists.txt does), so vmsim's reference
// treats the PBMT bits as reserved and never expects a hardware A/D update.
// adue_i is therefore not connected.
//
// Nothing here changes what CVA6 decides: every answer is CVA6's own.
module vmsim_cva6_adapter #(
    parameter logic [55:0] MemBytes = 56'h400_0000
) (
    input  logic        clk_i,
    input  logic        rst_ni,
    // control
    input  logic        satp_we_i,
    input  logic [63:0] satp_i,
    input  logic        sum_i,
    input  logic        mxr_i,
    input  logic        adue_i,
    input  logic        flush_i,
    input  logic        flush_vaddr_valid_i,
    input  logic [63:0] flush_vaddr_i,
    input  logic        flush_asid_valid_i,
    input  logic [15:0] flush_asid_i,
    // translation
    input  logic        req_valid_i,
    output logic        req_ready_o,
    input  logic [63:0] req_vaddr_i,
    input  logic [ 1:0] req_access_i,
    input  logic        req_priv_s_i,
    output logic        resp_valid_o,
    output logic [55:0] resp_paddr_o,
    output logic        resp_fault_o,
    output logic [ 4:0] resp_cause_o,
    output logic        resp_tlb_hit_o,
    // walker memory
    output logic        mem_req_valid_o,
    input  logic        mem_req_ready_i,
    output logic [55:0] mem_req_addr_o,
    output logic        mem_req_we_o,
    output logic [63:0] mem_req_wdata_o,
    input  logic        mem_rsp_valid_i,
    input  logic [63:0] mem_rsp_rdata_i,
    input  logic        mem_rsp_error_i
);

  localparam config_pkg::cva6_cfg_t CVA6Cfg = build_config_pkg::build_config(cva6_config_pkg::cva6_cfg);

  // The struct types CVA6's core hands its MMU (core/cva6.sv declares the
  // same fields; the MMU reads them by name).
  localparam type exception_t = struct packed {
    logic [CVA6Cfg.XLEN-1:0]  cause;
    logic [CVA6Cfg.XLEN-1:0]  tval;
    logic [CVA6Cfg.GPLEN-1:0] tval2;
    logic [31:0]              tinst;
    logic                     gva;
    logic                     valid;
    logic                     timing;
  };
  localparam type icache_areq_t = struct packed {
    logic                    fetch_valid;
    logic [CVA6Cfg.PLEN-1:0] fetch_paddr;
    exception_t              fetch_exception;
  };
  localparam type icache_arsp_t = struct packed {
    logic                    fetch_req;
    logic [CVA6Cfg.VLEN-1:0] fetch_vaddr;
  };
  localparam type icache_dreq_t = struct packed {
    logic                    req;
    logic                    kill_s1;
    logic                    kill_s2;
    logic                    spec;
    logic [CVA6Cfg.VLEN-1:0] vaddr;
  };
  localparam type icache_drsp_t = struct packed {
    logic                                ready;
    logic                                valid;
    logic [CVA6Cfg.FETCH_WIDTH-1:0]      data;
    logic [CVA6Cfg.FETCH_USER_WIDTH-1:0] user;
    logic [CVA6Cfg.VLEN-1:0]             vaddr;
    exception_t                          ex;
  };
  localparam type cbo_t = logic [7:0];
  localparam type dcache_req_i_t = struct packed {
    logic [CVA6Cfg.DCACHE_INDEX_WIDTH-1:0] address_index;
    logic [CVA6Cfg.DCACHE_TAG_WIDTH-1:0]   address_tag;
    logic [CVA6Cfg.XLEN-1:0]               data_wdata;
    logic [CVA6Cfg.DCACHE_USER_WIDTH-1:0]  data_wuser;
    logic                                  data_req;
    logic                                  data_we;
    logic [(CVA6Cfg.XLEN/8)-1:0]           data_be;
    logic [1:0]                            data_size;
    logic [CVA6Cfg.DcacheIdWidth-1:0]      data_id;
    logic                                  kill_req;
    logic                                  tag_valid;
    cbo_t                                  cbo_op;
  };
  localparam type dcache_req_o_t = struct packed {
    logic                                 data_gnt;
    logic                                 data_rvalid;
    logic [CVA6Cfg.DcacheIdWidth-1:0]     data_rid;
    logic [CVA6Cfg.XLEN-1:0]              data_rdata;
    logic [CVA6Cfg.DCACHE_USER_WIDTH-1:0] data_ruser;
  };

  localparam logic [3:0] SatpModeBare = 4'd0;
  localparam logic [3:0] SatpModeSv39 = 4'd8;
  localparam logic [1:0] AccessStore = 2'd1;
  localparam logic [1:0] AccessFetch = 2'd2;

  // ---- the CSR file -----------------------------------------------------------
  logic [3:0] satp_mode_q;
  logic [15:0] satp_asid_q;
  logic [43:0] satp_ppn_q;
  logic sum_q, mxr_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      satp_mode_q <= SatpModeBare;
      satp_asid_q <= '0;
      satp_ppn_q  <= '0;
      sum_q       <= 1'b0;
      mxr_q       <= 1'b0;
    end else begin
      // WARL: only Bare and Sv39 are written; any other MODE leaves satp as it was.
      if (satp_we_i && (satp_i[63:60] == SatpModeBare || satp_i[63:60] == SatpModeSv39)) begin
        satp_mode_q <= satp_i[63:60];
        satp_asid_q <= satp_i[59:44];
        satp_ppn_q  <= satp_i[43:0];
      end
      sum_q <= sum_i;
      mxr_q <= mxr_i;
    end
  end

  logic translating;
  assign translating = satp_mode_q == SatpModeSv39;

  // ---- the requester: holds a request until the MMU answers --------------------
  typedef enum logic [1:0] {
    ReqIdle,
    ReqBusy,
    ReqRespond
  } req_state_e;
  req_state_e req_state_q, req_state_d;

  logic [63:0] vaddr_q;
  logic [1:0] access_q;
  logic priv_s_q;
  logic walked_q, walked_d;
  logic [55:0] paddr_q, paddr_d;
  logic fault_q, fault_d;
  logic [4:0] cause_q, cause_d;
  logic trap_flush_q, trap_flush_d;

  logic lsu_valid;
  logic [CVA6Cfg.PLEN-1:0] lsu_paddr;
  exception_t lsu_exception;
  icache_areq_t icache_areq;
  icache_arsp_t icache_arsp;
  logic shared_tlb_flush_busy;
  logic answered;
  logic mem_granted;

  assign icache_arsp.fetch_req   = req_state_q == ReqBusy && access_q == AccessFetch;
  assign icache_arsp.fetch_vaddr = vaddr_q;
  assign answered = req_state_q == ReqBusy &&
                    (access_q == AccessFetch ? icache_areq.fetch_valid : lsu_valid);

  always_comb begin
    req_state_d  = req_state_q;
    walked_d     = walked_q;
    paddr_d      = paddr_q;
    fault_d      = fault_q;
    cause_d      = cause_q;
    trap_flush_d = 1'b0;
    unique case (req_state_q)
      ReqIdle: begin
        if (req_valid_i && req_ready_o) begin
          req_state_d = ReqBusy;
          walked_d    = 1'b0;
        end
      end
      ReqBusy: begin
        if (mem_granted) walked_d = 1'b1;
        if (answered) begin
          req_state_d = ReqRespond;
          if (access_q == AccessFetch) begin
            paddr_d = icache_areq.fetch_paddr;
            fault_d = icache_areq.fetch_exception.valid;
            cause_d = icache_areq.fetch_exception.cause[4:0];
          end else begin
            paddr_d = lsu_paddr;
            fault_d = lsu_exception.valid;
            cause_d = lsu_exception.cause[4:0];
          end
          // A fault traps, and a trap flushes the pipeline: the walk the
          // held request may have started again is killed.
          trap_flush_d = fault_d;
        end
      end
      ReqRespond: req_state_d = ReqIdle;
      default: req_state_d = ReqIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      req_state_q  <= ReqIdle;
      vaddr_q      <= '0;
      access_q     <= '0;
      priv_s_q     <= 1'b0;
      walked_q     <= 1'b0;
      paddr_q      <= '0;
      fault_q      <= 1'b0;
      cause_q      <= '0;
      trap_flush_q <= 1'b0;
    end else begin
      req_state_q  <= req_state_d;
      walked_q     <= walked_d;
      paddr_q      <= paddr_d;
      fault_q      <= fault_d;
      cause_q      <= cause_d;
      trap_flush_q <= trap_flush_d;
      if (req_state_q == ReqIdle && req_valid_i && req_ready_o) begin
        vaddr_q  <= req_vaddr_i;
        access_q <= req_access_i;
        priv_s_q <= req_priv_s_i;
      end
    end
  end

  // Ready once the last answer is out, the trap's flush is done and the
  // shared TLB has finished a multi-cycle flush.
  assign req_ready_o    = req_state_q == ReqIdle && !trap_flush_q && !shared_tlb_flush_busy;
  assign resp_valid_o   = req_state_q == ReqRespond;
  assign resp_paddr_o   = paddr_q;
  assign resp_fault_o   = fault_q;
  assign resp_cause_o   = fault_q ? cause_q : 5'd0;
  assign resp_tlb_hit_o = translating && !walked_q;

  // ---- the data cache's port, served from vmsim's memory -------------------------
  typedef enum logic [1:0] {
    MemIdle,
    MemTag,
    MemIssue,
    MemWait
  } mem_state_e;
  mem_state_e mem_state_q, mem_state_d;

  dcache_req_i_t ptw_req;
  dcache_req_o_t ptw_rsp;
  logic [CVA6Cfg.DCACHE_INDEX_WIDTH-1:0] index_q;
  logic [55:0] mem_addr_q, mem_addr_d;
  logic [55:0] tag_addr;

  assign mem_granted = mem_state_q == MemIdle && ptw_req.data_req;
  assign tag_addr    = {ptw_req.address_tag, index_q};

  always_comb begin
    mem_state_d     = mem_state_q;
    mem_addr_d      = mem_addr_q;
    mem_req_valid_o = 1'b0;
    mem_req_addr_o  = mem_addr_q;
    unique case (mem_state_q)
      MemIdle: if (mem_granted) mem_state_d = MemTag;
      MemTag: begin
        // The tag comes one cycle after the grant; the request goes out with it.
        mem_req_valid_o = 1'b1;
        mem_req_addr_o  = tag_addr;
        mem_addr_d      = tag_addr;
        mem_state_d     = mem_req_ready_i ? MemWait : MemIssue;
      end
      MemIssue: begin
        mem_req_valid_o = 1'b1;
        if (mem_req_ready_i) mem_state_d = MemWait;
      end
      MemWait: if (mem_rsp_valid_i) mem_state_d = MemIdle;
      default: mem_state_d = MemIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mem_state_q <= MemIdle;
      index_q     <= '0;
      mem_addr_q  <= '0;
    end else begin
      mem_state_q <= mem_state_d;
      mem_addr_q  <= mem_addr_d;
      if (mem_granted) index_q <= ptw_req.address_index;
    end
  end

  assign mem_req_we_o    = 1'b0;  // CVA6 has no Svadu: its walker never writes
  assign mem_req_wdata_o = '0;

  always_comb begin
    ptw_rsp             = '0;
    ptw_rsp.data_gnt    = mem_granted;
    ptw_rsp.data_rvalid = mem_state_q == MemWait && mem_rsp_valid_i;
    ptw_rsp.data_rdata  = mem_rsp_rdata_i;
  end

  // ---- the PMP: memory is [0, MemBytes), readable, writable, executable ------------
  riscv::pmpcfg_t [CVA6Cfg.NrPMPEntries-1:0] pmpcfg;
  logic [CVA6Cfg.NrPMPEntries-1:0][CVA6Cfg.PLEN-3:0] pmpaddr;
  always_comb begin
    pmpcfg = '0;
    pmpaddr = '0;
    pmpcfg[0].addr_mode = riscv::TOR;
    pmpcfg[0].access_type = '{x: 1'b1, w: 1'b1, r: 1'b1};
    pmpaddr[0] = MemBytes[55:2];
  end

  // ---- the MMU ---------------------------------------------------------------------
  exception_t no_misalign;
  assign no_misalign = '0;
  logic unused;
  // Fields the requester does not read (tval, tinst, ...), and inputs CVA6 has
  // no use for: it cannot report a bus error on a PTE read, and has no Svadu.
  assign unused = ^{adue_i, mem_rsp_error_i, ptw_req, lsu_exception, icache_areq};

  // Outputs the adapter has no use for (performance counters, the
  // hypervisor's, the LSU's early hit) are left open.
  /* verilator lint_off PINCONNECTEMPTY */
  cva6_mmu #(
      .CVA6Cfg       (CVA6Cfg),
      .icache_areq_t (icache_areq_t),
      .icache_arsp_t (icache_arsp_t),
      .icache_dreq_t (icache_dreq_t),
      .icache_drsp_t (icache_drsp_t),
      .dcache_req_i_t(dcache_req_i_t),
      .dcache_req_o_t(dcache_req_o_t),
      .exception_t   (exception_t),
      .HYP_EXT       (0)
  ) i_cva6_mmu (
      .clk_i,
      .rst_ni,
      .flush_i                 (flush_i || satp_we_i || trap_flush_q),
      .enable_translation_i    (translating),
      .enable_g_translation_i  (1'b0),
      .en_ld_st_translation_i  (translating),
      .en_ld_st_g_translation_i(1'b0),
      .icache_areq_i           (icache_arsp),
      .icache_areq_o           (icache_areq),
      .misaligned_ex_i         (no_misalign),
      .lsu_req_i               (req_state_q == ReqBusy && access_q != AccessFetch),
      .lsu_vaddr_i             (vaddr_q),
      .lsu_tinst_i             ('0),
      .lsu_is_store_i          (access_q == AccessStore),
      .csr_hs_ld_st_inst_o     (),
      .lsu_dtlb_hit_o          (),
      .lsu_dtlb_ppn_o          (),
      .lsu_valid_o             (lsu_valid),
      .lsu_paddr_o             (lsu_paddr),
      .lsu_exception_o         (lsu_exception),
      .priv_lvl_i              (priv_s_q ? riscv::PRIV_LVL_S : riscv::PRIV_LVL_U),
      .v_i                     (1'b0),
      .ld_st_priv_lvl_i        (priv_s_q ? riscv::PRIV_LVL_S : riscv::PRIV_LVL_U),
      .ld_st_v_i               (1'b0),
      .sum_i                   (sum_q),
      .vs_sum_i                (1'b0),
      .mxr_i                   (mxr_q),
      .vmxr_i                  (1'b0),
      .mbe_i                   (1'b0),
      .hlvx_inst_i             (1'b0),
      .hs_ld_st_inst_i         (1'b0),
      .satp_ppn_i              (satp_ppn_q),
      .vsatp_ppn_i             ('0),
      .hgatp_ppn_i             ('0),
      .asid_i                  (satp_asid_q),
      .vmid_i                  ('0),
      .vs_asid_i               ('0),
      // sfence.vma's rs2 and rs1, x0 read as zero: CVA6 reads a zero operand
      // as "all", so an operand that is zero over-flushes (which is legal).
      .asid_to_be_flushed_i    (flush_asid_valid_i ? flush_asid_i : '0),
      .vmid_to_be_flushed_i    ('0),
      .vaddr_to_be_flushed_i   (flush_vaddr_valid_i ? flush_vaddr_i : '0),
      .gpaddr_to_be_flushed_i  ('0),
      .flush_tlb_i             (flush_i),
      .flush_tlb_vvma_i        (1'b0),
      .flush_tlb_gvma_i        (1'b0),
      .shared_tlb_flush_busy_o (shared_tlb_flush_busy),
      .itlb_miss_o             (),
      .dtlb_miss_o             (),
      .req_port_i              (ptw_rsp),
      .req_port_o              (ptw_req),
      .pmpcfg_i                (pmpcfg),
      .pmpaddr_i               (pmpaddr)
  );
  /* verilator lint_on PINCONNECTEMPTY */

endmodule
