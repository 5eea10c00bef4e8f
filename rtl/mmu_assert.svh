// mmu_assert.svh: one way to write an assertion, an assumption or a cover,
// read by every tool that checks the RTL (in the manner of lowRISC's
// prim_assert.sv).
//
//   `MMU_ASSERT(Name, expr, ("format", args))  the design keeps expr true
//   `MMU_ASSUME(Name, expr, ("format", args))  the environment keeps expr
//                                               true (a protocol rule)
//   `MMU_COVER(Name, expr)                      expr can happen
//
// Each is sampled at the rising edge of clk_i outside reset (rst_ni low), so
// the enclosing module needs those two names.
// - Verilator with -DVMSIM_ASSERT: concurrent SVA. A failing assertion or
//   assumption prints "Name" with the message; the driver stops the run.
// - Yosys with -DFORMAL (make formal): immediate assert/assume/cover in a
//   clocked block, the subset open-source Yosys reads; assumptions then
//   constrain the inputs instead of checking them.
// - Anything else (synthesis, the fast simulation build): nothing.
// Logic that only feeds checks goes inside `ifdef MMU_CHECKS_ON, so the fast
// simulation build and synthesis never evaluate it.
// Write expr as a plain expression ("!a || b" for "a implies b"): both
// readings must mean the same.
`ifndef MMU_ASSERT_SVH
`define MMU_ASSERT_SVH

`ifdef FORMAL
`define MMU_CHECKS_ON
`elsif VMSIM_ASSERT
`define MMU_CHECKS_ON
`endif

`ifdef FORMAL
`define MMU_ASSERT(Name, Expr, Msg) \
  always @(posedge clk_i) if (rst_ni) Name: assert (Expr);
`define MMU_ASSUME(Name, Expr, Msg) \
  always @(posedge clk_i) if (rst_ni) Name: assume (Expr);
`define MMU_COVER(Name, Expr) \
  always @(posedge clk_i) if (rst_ni) Name: cover (Expr);
`elsif VMSIM_ASSERT
`define MMU_ASSERT(Name, Expr, Msg) \
  Name: assert property (@(posedge clk_i) disable iff (!rst_ni) (Expr)) else $error Msg;
`define MMU_ASSUME(Name, Expr, Msg) \
  Name: assert property (@(posedge clk_i) disable iff (!rst_ni) (Expr)) else $error Msg;
`define MMU_COVER(Name, Expr) \
  Name: cover property (@(posedge clk_i) disable iff (!rst_ni) (Expr));
`else
`define MMU_ASSERT(Name, Expr, Msg)
`define MMU_ASSUME(Name, Expr, Msg)
`define MMU_COVER(Name, Expr)
`endif

`endif  // MMU_ASSERT_SVH
