// pin_driver_impl.h: PinDriver's definitions (see pin_driver.h).
#pragma once

namespace vmsim {

template <typename V, typename F>
PinDriver<V, F>::PinDriver(WalkerMemory& mem, const DeviceOptions& opts, DeviceInfo info)
    : mem_(mem), opts_(opts.driver), info_(std::move(info)), stall_rng_(opts.driver.seed) {
  settle_ = info_.assertions || !info_.idle_while_waiting;
  ctx_.fatalOnError(false);  // an assertion failure is reported by check(), not by abort()
  top_ = std::make_unique<V>(&ctx_, "dut");
  if (!opts.trace_path.empty()) {
#ifdef VMSIM_TRACE
    ctx_.traceEverOn(true);
    fst_ = std::make_unique<VerilatedFstC>();
    top_->trace(fst_.get(), 99);
    fst_->open(opts.trace_path.c_str());
#else
    throw std::runtime_error("waveforms need the tracing build of the device (cmake -DVMSIM_TRACE=ON)");
#endif
  }
  V& t = *top_;
  t.clk_i = 0;
  t.rst_ni = 0;
  t.req_valid_i = 0;
  t.satp_we_i = 0;
  t.flush_i = 0;
  t.mem_req_ready_i = 1;
  t.mem_rsp_valid_i = 0;
  top_->eval();
  tick(false);
  tick(false);
  t.rst_ni = 1;
  top_->eval();
  check();
}

template <typename V, typename F>
PinDriver<V, F>::~PinDriver() {
#ifdef VMSIM_TRACE
  if (fst_) fst_->close();
#endif
  top_->final();
#ifdef VMSIM_COVERAGE
  // One file per device instance, collected by `make coverage`.
  static int instance = 0;
  const char* dir = std::getenv("VMSIM_COVERAGE_DIR");
  const std::string path = std::string(dir ? dir : ".") + "/rtl_" + std::to_string(getpid()) + "_" +
                           std::to_string(instance++) + ".dat";
  ctx_.coveragep()->write(path.c_str());
#endif
}

template <typename V, typename F>
void PinDriver<V, F>::check() {
  if (!ctx_.gotError()) return;
  std::string what = take_rtl_messages();
  while (!what.empty() && what.back() == '\n') what.pop_back();
  throw RtlError(fmt::format("RTL assertion failed at cycle {}: {}", cycles_, what));
}

template <typename V, typename F>
void PinDriver<V, F>::settle() {
  if (!settle_) return;
  top_->eval();
  check();
}

template <typename V, typename F>
void PinDriver<V, F>::tick(bool drop_request) {
  V& t = *top_;
  if constexpr (requires { t.walkers_busy_o; }) {  // the cycle ending now
    const unsigned busy = std::min<unsigned>(t.walkers_busy_o, RtlMmuStats::kMaxWalkers);
    ++stats_.cycles_by_walkers_busy[busy];
    stats_.busy_walker_cycles += busy;
  }
  t.clk_i = 1;
  t.eval();
  check();
#ifdef VMSIM_TRACE
  if (fst_) fst_->dump(cycles_ * kPsPerCycle);  // before the drop below: the waveform shows the request taken
#endif
  // A request taken at this edge is dropped after it, as a requester's flop
  // would; the low phase then does not evaluate the lookup again.
  if (drop_request) t.req_valid_i = 0;
  t.clk_i = 0;
  t.eval();
  check();
#ifdef VMSIM_TRACE
  if (fst_) fst_->dump(cycles_ * kPsPerCycle + kPsPerCycle / 2);
#endif
  ++cycles_;
  ctx_.timeInc(kPsPerCycle);
}

// The memory port's inputs for the coming edge: back-pressure, and the
// response that is due, if one is.
template <typename V, typename F>
void PinDriver<V, F>::drive_memory_port() {
  V& t = *top_;
  const bool stall = opts_.mem_stall_percent && stall_rng_() % 100 < opts_.mem_stall_percent;
  t.mem_req_ready_i = !stall;
  if (stall && t.mem_req_valid_o) ++stats_.mem_stall_cycles;
  if (!pending_.empty() && info_.idle_while_waiting && !opts_.tick_through_latency && !windowed_ &&
      pending_.front().due > cycles_ && !t.mem_req_valid_o) {
    // Nothing inside can change until the response: skip to it.
    const uint64_t skipped = pending_.front().due - cycles_;
    if constexpr (requires { t.walkers_busy_o; }) {
      const unsigned busy = std::min<unsigned>(t.walkers_busy_o, RtlMmuStats::kMaxWalkers);
      stats_.cycles_by_walkers_busy[busy] += skipped;
      stats_.busy_walker_cycles += busy * skipped;
    }
    ctx_.timeInc(kPsPerCycle * skipped);
    cycles_ = pending_.front().due;
  }
  if (!pending_.empty() && pending_.front().due <= cycles_) {
    const WalkerResponse rsp = pending_.front().rsp;
    pending_.pop_front();
    t.mem_rsp_valid_i = 1;
    t.mem_rsp_error_i = !rsp.ok;
    t.mem_rsp_rdata_i = rsp.rdata;
  } else {
    t.mem_rsp_valid_i = stray_response_;  // a fault injection: a response nobody asked for
    t.mem_rsp_error_i = 0;
    stray_response_ = false;
  }
}

template <typename V, typename F>
void PinDriver<V, F>::cycle(Call& call, bool drop_request) {
  V& t = *top_;
  drive_memory_port();
  settle();
  const bool take = t.mem_req_valid_o && t.mem_req_ready_i;
  const WalkerRequest req{PhysAddr{t.mem_req_addr_o}, bool(t.mem_req_we_o), t.mem_req_wdata_o,
                          info_.xlen == 32 ? 4u : 8u};
  tick(drop_request);
  t.mem_rsp_valid_i = 0;
  if (!take) return;
  call.last_walker_access = req;
  call.last_walker_cycle = cycles_;
  const WalkerResponse rsp = mem_.access(req, cycles_ - call.start);
  req.write ? ++stats_.pte_writes : ++stats_.pte_reads;
  call.pte_reads += !req.write;
  pending_.push_back({rsp, cycles_ + rsp.latency_cycles});
}

template <typename V, typename F>
Translation PinDriver<V, F>::translate(VirtAddr va, Access access, Priv priv) {
  V& t = *top_;
  Call call{va, access, priv, cycles_, std::nullopt, 0};
  t.req_valid_i = 1;
  t.req_vaddr_i = va.value();
  t.req_access_i = uint8_t(access);
  t.req_priv_s_i = priv == Priv::kSupervisor;
  if constexpr (requires { t.req_id_i; }) t.req_id_i = 0;  // one request at a time: any tag
  for (bool accepted = false; !accepted;) {
    settle();
    accepted = t.req_ready_o;
    cycle(call, accepted);
    timeout(call);
  }
  if (after_accept_fault_ && F::after_accept(t, *after_accept_fault_)) after_accept_fault_.reset();
  while (!t.resp_valid_o) {
    cycle(call);
    timeout(call);
  }
  return take_response(cycles_ - call.start, call.pte_reads);
}

// pte_reads: the PTEs this translation's walk read: the driver's own count
// with one translation in flight, else the device's (resp_pte_reads_o), if
// it reports one.
template <typename V, typename F>
Translation PinDriver<V, F>::take_response(uint64_t latency, unsigned pte_reads, bool depth_known) {
  V& t = *top_;
  Translation r;
  r.fault = t.resp_fault_o;
  r.cause = r.fault ? Cause(t.resp_cause_o) : Cause::kNone;
  r.pa = r.fault ? PhysAddr{} : PhysAddr{t.resp_paddr_o};
  r.tlb_hit = t.resp_tlb_hit_o;
  if constexpr (requires { t.resp_l2_hit_o; }) r.l2_hit = t.resp_l2_hit_o;  // a device with an L2 TLB
  if constexpr (requires { t.resp_merged_o; }) r.merged = t.resp_merged_o;
  r.pte_reads = uint8_t(std::min(pte_reads, 255u));
  ++stats_.translations;
  if (r.tlb_hit) {
    ++stats_.tlb_hits;
    stats_.l2_hits += r.l2_hit;
  } else if (r.merged) {
    ++stats_.merged_misses;
  } else if (latency > 1) {
    ++stats_.walks;
    stats_.walk_cycles += latency;
    ++stats_.walk_latency[std::min<uint64_t>(latency, RtlMmuStats::kWalkLatencyBuckets - 1)];
    if (depth_known) ++stats_.walks_by_depth[std::min<size_t>(pte_reads, RtlMmuStats::kWalkDepths - 1)];
  }
  return r;
}

template <typename V, typename F>
void PinDriver<V, F>::translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) {
  if constexpr (requires(V & t) { t.req_id_i, t.resp_id_o; }) {
    if (opts_.window > 1 && n > 1) return translate_window(reqs, n, out);
  }
  for (size_t i = 0; i < n; ++i) out[i] = translate(reqs[i].va, reqs[i].access, reqs[i].priv);
}

// With several in flight, the walk's depth is the device's count, if it has one.
template <typename V, typename F>
Translation PinDriver<V, F>::take_windowed_response(uint64_t latency) {
  if constexpr (requires(V & t) { t.resp_pte_reads_o; })
    return take_response(latency, top_->resp_pte_reads_o);
  return take_response(latency, 0, false);
}

// Each cycle: the response on the port is taken (its tag is free again at
// once, as the device's slot is), then the next request is offered while
// fewer than the window are out. Every cycle is ticked.
template <typename V, typename F>
void PinDriver<V, F>::translate_window(const TranslationRequest* reqs, size_t n, Translation* out) {
  if constexpr (requires(V & t) { t.req_id_i, t.resp_id_o; }) {
    V& t = *top_;
    const unsigned window = std::min(opts_.window, 16u);
    struct Flight {
      size_t index = 0;
      uint64_t start = 0;
      bool live = false;
    };
    std::array<Flight, 16> tags{};
    size_t next = 0, done = 0;
    windowed_ = true;
    Call call{reqs[0].va, reqs[0].access, reqs[0].priv, cycles_, std::nullopt, 0};
    // The port's response is read after each edge, as translate() does: one
    // already on it when the batch begins was the previous call's.
    for (bool ticked = false;; ticked = true) {
      if (ticked && t.resp_valid_o) {
        Flight& f = tags.at(t.resp_id_o);
        if (!f.live)
          throw RtlError(fmt::format("the MMU answered id {} at cycle {}, which is not outstanding",
                                     unsigned(t.resp_id_o), cycles_));
        out[f.index] = take_windowed_response(cycles_ - f.start);
        f.live = false;
        ++done;
      }
      if (done == n) break;
      unsigned tag = 0;
      while (tag < window && tags[tag].live) ++tag;
      const bool offer = next < n && tag < window;
      t.req_valid_i = offer;
      if (offer) {
        t.req_vaddr_i = reqs[next].va.value();
        t.req_access_i = uint8_t(reqs[next].access);
        t.req_priv_s_i = reqs[next].priv == Priv::kSupervisor;
        t.req_id_i = tag;
      }
      settle();
      const bool accepted = offer && t.req_ready_o;
      // The oldest outstanding request is the one a hang is reported for.
      uint64_t oldest = cycles_;
      for (const Flight& f : tags) {
        if (f.live && f.start < oldest) {
          oldest = f.start;
          call.va = reqs[f.index].va, call.access = reqs[f.index].access, call.priv = reqs[f.index].priv;
        }
      }
      call.start = oldest;
      if (accepted) tags[tag] = Flight{next++, cycles_, true};
      cycle(call, accepted);
      timeout(call);
    }
    t.req_valid_i = 0;
    windowed_ = false;
  } else {
    (void)reqs, (void)n, (void)out;
  }
}

template <typename V, typename F>
void PinDriver<V, F>::timeout(const Call& call) {
  if (cycles_ - call.start > opts_.max_cycles) hung(call);
}

template <typename V, typename F>
void PinDriver<V, F>::hung(const Call& call) {
  const auto& w = call.last_walker_access;
  const std::string last = w ? fmt::format("{} of 0x{:x} at cycle {}", w->write ? "write" : "read",
                                           w->addr.value(), call.last_walker_cycle)
                             : std::string("none");
  throw RtlError(fmt::format(
      "the MMU did not answer within {} cycles: request va 0x{:x} {} {}, made at cycle {}; now cycle {}; the "
      "walker's last memory access: {}",
      opts_.max_cycles, call.va.value(), to_string(call.access), to_string(call.priv), call.start, cycles_,
      last));
}

// satp writes and fences happen between requests; the device may then hold
// req_ready_o low until it is ready to translate again.
template <typename V, typename F>
void PinDriver<V, F>::control_cycle() {
  Call call{VirtAddr{}, Access::kLoad, Priv::kSupervisor, cycles_, std::nullopt, 0};
  settle();
  cycle(call);
}

template <typename V, typename F>
void PinDriver<V, F>::write_satp(uint64_t satp) {
  V& t = *top_;
  t.satp_we_i = 1;
  t.satp_i = satp;
  control_cycle();
  t.satp_we_i = 0;
  ++stats_.satp_writes;
}

template <typename V, typename F>
void PinDriver<V, F>::set_control(const TranslationControl& ctl) {
  V& t = *top_;
  t.sum_i = ctl.sum;
  t.mxr_i = ctl.mxr;
  t.adue_i = ctl.svadu;
  settle();
}

template <typename V, typename F>
void PinDriver<V, F>::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  V& t = *top_;
  t.flush_i = 1;
  t.flush_vaddr_valid_i = va.has_value();
  t.flush_vaddr_i = va ? va->value() : 0;
  t.flush_asid_valid_i = asid.has_value();
  t.flush_asid_i = asid ? uint16_t(asid->value()) : 0;
  control_cycle();
  t.flush_i = 0;
  ++stats_.sfences;
}

template <typename V, typename F>
void PinDriver<V, F>::inject_for_test(RtlFault f) {
  const bool generic = f == RtlFault::kStrayMemoryResponse;  // any device: the driver breaks the protocol
  if (!generic && !F::supports(f)) {
    throw std::logic_error(
        "this device does not support fault injection (vmsim's MMU does, in its assertion build)");
  }
  Call call{VirtAddr{}, Access::kLoad, Priv::kSupervisor, cycles_, std::nullopt, 0};
  cycle(call);  // a quiet cycle first: the last response is no longer on the port
  if (generic) {
    stray_response_ = true;
    cycle(call);
  } else if (F::inject(*top_, f)) {
    settle();
  } else {
    after_accept_fault_ = f;  // applied once the next request is accepted
  }
}

}  // namespace vmsim
