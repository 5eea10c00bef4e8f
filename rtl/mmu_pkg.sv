// mmu_pkg: shared constants, types and pure functions of the vmsim MMU.
//
// One place for the RISC-V encodings (satp modes, PTE bits, exception causes)
// so the TLB, the page-table walker and the top agree on them. It is also the
// hardware side of the hardware/software contract: everything marked
// `verilator public` is exported into the Verilated model's C++ headers, and
// model/hw_contract.cpp checks the software's copies (sw/types.h, sw/paging.h)
// against it with static_asserts, so the two cannot drift apart. Datapath widths
// are RV64's: 64-bit virtual addresses, 56-bit physical addresses, 44-bit
// PPNs, 16-bit ASIDs, VPNs of up to 45 bits (Sv57). The RV32 build (Xlen=32,
// Sv32) uses the same datapath with the upper bits zero: 20-bit VPNs, 22-bit
// PPNs, 34-bit physical addresses, 9-bit ASIDs, 4-byte PTEs.
package mmu_pkg;

  localparam int unsigned VLEN       /*verilator public*/ = 64;
  localparam int unsigned PLEN       /*verilator public*/ = 56;
  localparam int unsigned PPN_W      /*verilator public*/ = 44;
  localparam int unsigned VPN_W      /*verilator public*/ = 45;  // Sv57: 5 levels x 9 bits
  localparam int unsigned ASID_W     /*verilator public*/ = 16;
  localparam int unsigned LEVEL_W    = 3;   // levels 0..4
  localparam int unsigned IDX_W      /*verilator public*/ = 9;   // VPN bits per level
  localparam int unsigned PAGE_SHIFT /*verilator public*/ = 12;

  // Access type of a translation request.
  typedef enum logic [1:0] {
    ACCESS_LOAD  = 2'd0,
    ACCESS_STORE = 2'd1,
    ACCESS_FETCH = 2'd2
  } access_e /*verilator public*/;

  // satp.MODE encodings (RV64; Sv32 is RV32's MODE=1, decoded to the same
  // code). Other values are reserved: satp is WARL, and mmu_top ignores a
  // write of one, so satp never holds it.
  typedef enum logic [3:0] {
    SATP_MODE_BARE = 4'd0,
    SATP_MODE_SV32 = 4'd1,
    SATP_MODE_SV39 = 4'd8,
    SATP_MODE_SV48 = 4'd9,
    SATP_MODE_SV57 = 4'd10
  } satp_mode_e /*verilator public*/;

  // satp field positions. RV64: MODE 63:60, ASID 59:44, PPN 43:0.
  // RV32: MODE 31 (1 bit), ASID 30:22, PPN 21:0.
  localparam int unsigned SATP64_MODE_LSB /*verilator public*/ = 60;
  localparam int unsigned SATP64_ASID_LSB /*verilator public*/ = 44;
  localparam int unsigned SATP32_MODE_BIT /*verilator public*/ = 31;
  localparam int unsigned SATP32_ASID_LSB /*verilator public*/ = 22;
  localparam int unsigned SATP32_ASID_W   /*verilator public*/ = 9;
  localparam int unsigned SATP32_PPN_W    /*verilator public*/ = 22;

  // RISC-V exception causes (mcause codes) the MMU can raise; CAUSE_NONE
  // accompanies a successful translation.
  typedef enum logic [4:0] {
    CAUSE_NONE         = 5'd0,
    CAUSE_FETCH_ACCESS = 5'd1,
    CAUSE_LOAD_ACCESS  = 5'd5,
    CAUSE_STORE_ACCESS = 5'd7,
    CAUSE_FETCH_PAGE   = 5'd12,
    CAUSE_LOAD_PAGE    = 5'd13,
    CAUSE_STORE_PAGE   = 5'd15
  } cause_e /*verilator public*/;

  // PTE bit positions (RV64).
  localparam int unsigned PTE_V /*verilator public*/ = 0;
  localparam int unsigned PTE_R /*verilator public*/ = 1;
  localparam int unsigned PTE_W /*verilator public*/ = 2;
  localparam int unsigned PTE_X /*verilator public*/ = 3;
  localparam int unsigned PTE_U /*verilator public*/ = 4;
  localparam int unsigned PTE_G /*verilator public*/ = 5;
  localparam int unsigned PTE_A /*verilator public*/ = 6;
  localparam int unsigned PTE_D /*verilator public*/ = 7;
  localparam int unsigned PTE_PPN_LSB  /*verilator public*/ = 10;
  localparam int unsigned PTE_RSVD_LSB /*verilator public*/ = 54;  // bits 60:54 reserved
  localparam int unsigned PTE_RSVD_W   /*verilator public*/ = 7;
  localparam int unsigned PTE_PBMT_LSB /*verilator public*/ = 61;  // bits 62:61 Svpbmt
  localparam int unsigned PTE_N /*verilator public*/ = 63;         // Svnapot

  // Outstanding translations (mmu_top): the requester's tag on a request,
  // echoed on its response, and the most request slots and walkers a build
  // may have.
  localparam int unsigned REQ_ID_W    /*verilator public*/ = 4;
  localparam int unsigned MAX_SLOTS   /*verilator public*/ = 16;
  localparam int unsigned MAX_WALKERS /*verilator public*/ = 8;

  // The life of a translation in its request slot (mmu_req_slot).
  typedef enum logic [2:0] {
    SLOT_FREE,    // holds nothing
    SLOT_RESP,    // the result is ready for the response port
    SLOT_L2,      // an L1 miss waits for its L2 lookup
    SLOT_WALKQ,   // needs a walk, no walker free yet
    SLOT_WALK,    // a walker works on it
    SLOT_PARKED   // merged: waits on the slot walking the same page
  } slot_state_e;

  // TLB replacement policies (mmu_tlb_repl's Policy parameter; the
  // configuration files name them plru, lru, fifo, random).
  localparam int unsigned REPL_PLRU   /*verilator public*/ = 0;
  localparam int unsigned REPL_LRU    /*verilator public*/ = 1;
  localparam int unsigned REPL_FIFO   /*verilator public*/ = 2;
  localparam int unsigned REPL_RANDOM /*verilator public*/ = 3;

  // A cached leaf translation, as the walker hands it to the TLB and the TLB
  // to the top (the TLB stores each field in a flat vector of its own).
  // `level` is the page size (0 = 4 KiB, 1 = 2 MiB, ... 4 = 256 TiB);
  // `napot` marks a 64 KiB Svnapot page (level 0 only).
  // The PPN is stored as the PTE gave it; the low bits a superpage or napot
  // page leaves free are filled from the VPN when the address is formed.
  typedef struct packed {
    logic [VPN_W-1:0]   vpn;
    logic [LEVEL_W-1:0] level;
    logic               napot;
    logic [ASID_W-1:0]  asid;
    logic               global;
    logic [PPN_W-1:0]   ppn;
    logic               r;
    logic               w;
    logic               x;
    logic               u;
    logic               d;
  } tlb_entry_t;
  // Its width, for flat vectors of entries ($bits of a package type is
  // beyond Yosys 0.23).
  localparam int unsigned TLB_ENTRY_W = VPN_W + LEVEL_W + 1 + ASID_W + 1 + PPN_W + 5;

  function automatic cause_e page_fault_cause(access_e access);
    unique case (access)
      mmu_pkg::ACCESS_STORE: page_fault_cause = mmu_pkg::CAUSE_STORE_PAGE;
      mmu_pkg::ACCESS_FETCH: page_fault_cause = mmu_pkg::CAUSE_FETCH_PAGE;
      default:      page_fault_cause = mmu_pkg::CAUSE_LOAD_PAGE;
    endcase
  endfunction

  function automatic cause_e access_fault_cause(access_e access);
    unique case (access)
      mmu_pkg::ACCESS_STORE: access_fault_cause = mmu_pkg::CAUSE_STORE_ACCESS;
      mmu_pkg::ACCESS_FETCH: access_fault_cause = mmu_pkg::CAUSE_FETCH_ACCESS;
      default:      access_fault_cause = mmu_pkg::CAUSE_LOAD_ACCESS;
    endcase
  endfunction

  // VPN bits a page of this size ignores: 9 per level (10 in Sv32, which has
  // one superpage size, 4 MiB), plus the low four of a napot page. Bits set
  // here take their value from the virtual address.
  function automatic logic [mmu_pkg::VPN_W-1:0] vpn_offset_mask(logic [mmu_pkg::LEVEL_W-1:0] level, logic napot,
                                                       logic sv32);
    logic [mmu_pkg::VPN_W-1:0] mask;
    unique case (level)
      3'd0:    mask = '0;
      3'd1:    mask = mmu_pkg::VPN_W'((1 << 9) - 1);
      3'd2:    mask = mmu_pkg::VPN_W'((1 << 18) - 1);
      3'd3:    mask = mmu_pkg::VPN_W'((1 << 27) - 1);
      default: mask = mmu_pkg::VPN_W'((64'd1 << 36) - 1);
    endcase
    if (sv32) mask = (level == '0) ? '0 : mmu_pkg::VPN_W'((1 << 10) - 1);
    if (napot) mask[3:0] = 4'hF;
    vpn_offset_mask = mask;
  endfunction

  // Whether a TLB entry's tag (its VPN, page size and napot flag) covers a
  // VPN: the VPN bits below the page size are not compared.
  function automatic logic vpn_tag_match(logic [mmu_pkg::VPN_W-1:0] tag_vpn, logic [mmu_pkg::LEVEL_W-1:0] level,
                                         logic napot, logic sv32, logic [mmu_pkg::VPN_W-1:0] vpn);
    vpn_tag_match = ((tag_vpn ^ vpn) & ~vpn_offset_mask(level, napot, sv32)) == '0;
  endfunction

  // The level a walk starts at in a translating mode: the root table's.
  function automatic logic [LEVEL_W-1:0] root_level(satp_mode_e mode);
    unique case (mode)
      mmu_pkg::SATP_MODE_SV32: root_level = 3'd1;
      mmu_pkg::SATP_MODE_SV48: root_level = 3'd3;
      mmu_pkg::SATP_MODE_SV57: root_level = 3'd4;
      default:        root_level = 3'd2;  // Sv39
    endcase
  endfunction

  // Whether a virtual address is canonical in a mode: RV64 requires bits
  // 63..VA width-1 to be copies of the top VA bit; Sv32 addresses are 32 bits
  // (the RV32 build zero-extends them), so always canonical. Bare is not
  // asked. Checked on every request, TLB hit or not:
  // the TLB's tags hold only VA[56:12], so a hit alone cannot tell.
  // `va_hi` is VA[63:38], the bits that take part.
  function automatic logic va_canonical(satp_mode_e mode, logic [25:0] va_hi);
    unique case (mode)
      mmu_pkg::SATP_MODE_SV32: va_canonical = 1'b1;
      mmu_pkg::SATP_MODE_SV48: va_canonical = va_hi[25:9] == {17{va_hi[9]}};    // VA[63:47]
      mmu_pkg::SATP_MODE_SV57: va_canonical = va_hi[25:18] == {8{va_hi[18]}};   // VA[63:56]
      default:        va_canonical = va_hi == {26{va_hi[0]}};          // Sv39: VA[63:38]
    endcase
  endfunction

  // Leaf permission check for a cached or freshly walked leaf: the U/S rule
  // (SUM lets S-mode load/store U pages, never fetch), then R/W/X with MXR.
  // True when the access must fault. A/D are checked separately.
  function automatic logic leaf_perm_fault(logic r, logic w, logic x, logic u,
                                           access_e access, logic priv_s,
                                           logic sum, logic mxr);
    logic fault;
    fault = 1'b0;
    if (u) begin
      if (priv_s && (access == mmu_pkg::ACCESS_FETCH || !sum)) fault = 1'b1;
    end else if (!priv_s) begin
      fault = 1'b1;
    end
    unique case (access)
      mmu_pkg::ACCESS_FETCH: if (!x) fault = 1'b1;
      mmu_pkg::ACCESS_STORE: if (!w) fault = 1'b1;
      default:      if (!(r || (mxr && x))) fault = 1'b1;
    endcase
    leaf_perm_fault = fault;
  endfunction

  // The physical address a cached leaf gives a virtual address (its low
  // PLEN bits): the PPN's bits above the page size, the address's below it.
  function automatic logic [mmu_pkg::PLEN-1:0] leaf_paddr(logic [mmu_pkg::PPN_W-1:0] ppn,
                                                          logic [mmu_pkg::LEVEL_W-1:0] level, logic napot,
                                                          logic sv32, logic [mmu_pkg::PLEN-1:0] vaddr);
    logic [mmu_pkg::PPN_W-1:0] mask;
    mask = mmu_pkg::PPN_W'(vpn_offset_mask(level, napot, sv32));
    leaf_paddr = {(ppn & ~mask) | (vaddr[mmu_pkg::PAGE_SHIFT +: mmu_pkg::PPN_W] & mask),
                  vaddr[mmu_pkg::PAGE_SHIFT-1:0]};
  endfunction

  // Whether a TLB hit may answer the request without a walk: the address is
  // canonical (the tags hold only VA[56:12]), the cached rights allow the
  // access and, for a store, the page is already dirty. Otherwise the walk
  // decides (a fault, or an A/D update). The same rule for every TLB level.
  function automatic logic hit_usable(logic hit, logic r, logic w, logic x, logic u, logic d,
                                      satp_mode_e mode, logic [25:0] va_hi, access_e access,
                                      logic priv_s, logic sum, logic mxr);
    hit_usable = hit && va_canonical(mode, va_hi)
                 && !leaf_perm_fault(r, w, x, u, access, priv_s, sum, mxr)
                 && (access != mmu_pkg::ACCESS_STORE || d);
  endfunction

endpackage
