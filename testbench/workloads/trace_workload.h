// trace_workload.h: replays a trace's reference string through the whole
// stack, as `vmsim trace` does.
//
// One process whose address space is a single lazily backed region covering
// the user half, so every address of the trace below trace_user_top() is
// valid; one above it is bad input (exit 2, named with its line). Each reference is a
// 1-byte guest load, store or fetch (fetches at the 4-byte aligned address)
// translated by the RTL, with page faults handled by the runtime. Stores
// write a fresh value that a host-side shadow keeps; loads are checked
// against it, so swapping out and back in must preserve every byte.
//
// The trace is streamed from its file in blocks: memory grows with the pages
// and bytes it touches, never with its length. Only the OPT policy reads the
// whole reference string into memory (it needs the future).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "testbench/formats/lackey_trace.h"
#include "testbench/workloads/phases.h"
#include "testbench/workloads/workload.h"

namespace vmsim {

// A trace to replay: how to open it as a stream (more than once: OPT reads
// ahead), and its summary (which sizes the machine before the run).
struct TraceInput {
  std::function<std::unique_ptr<TraceReader>()> open;
  TraceSummary summary;
  // Told the references replayed so far, every few thousand (a progress bar).
  std::function<void(uint64_t)> progress;
  PhaseOptions phases;  // warm-up and interval statistics
  // Not premapped: the user half is one lazy region of 4 KiB pages, each
  // faulting in on first touch. Premapped: every page of `page_level` (0:
  // 4 KiB; 1: 2 MiB, 4 MiB in Sv32) in `pages` is mapped whole before the
  // replay, eagerly (A and D set, never reclaimed), and nothing else is: the
  // trace must touch no other. The replay then takes no page fault.
  bool premapped = false;
  unsigned page_level = 0;
  std::vector<uint64_t> pages;  // their base addresses, ascending
  // Translations the MMU keeps in flight (--window): each run of this many
  // references is translated together first (GuestRuntime::prefetch).
  unsigned window = 1;
};

// The bases of the pages of `page_bytes` (a power of two) that the trace
// touches, ascending; nullopt with `err` set on a read error.
std::optional<std::vector<uint64_t>> pages_touched(TraceReader& r, uint64_t page_bytes, std::string& err);

// The end of the user half a trace is replayed in: every address below it
// is valid, page 0 included (0xC0000000 in Sv32, 2^(VA bits - 1) otherwise).
uint64_t trace_user_top(PagingMode mode);

// A trace held in memory, as a TraceInput (tests).
TraceInput trace_input(std::shared_ptr<const LackeyTrace> trace);

class TraceWorkload final : public Workload {
 public:
  explicit TraceWorkload(TraceInput input) : input_(std::move(input)) {}
  explicit TraceWorkload(std::shared_ptr<const LackeyTrace> trace) : input_(trace_input(std::move(trace))) {}
  std::string name() const override { return "trace"; }
  const TraceInput& input() const { return input_; }
  WorkloadResult run(GuestRuntime& rt) override;
  // Computed on first use (only OPT asks), then kept.
  std::shared_ptr<const std::vector<uint64_t>> next_use() const override;

 private:
  TraceInput input_;
  mutable std::shared_ptr<const std::vector<uint64_t>> next_use_;
};

}  // namespace vmsim
