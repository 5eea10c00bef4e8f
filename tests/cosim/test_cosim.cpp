// Co-simulation: the TLM memory target, the SystemC MMU wrapper and a whole
// checked run of the built-in workload.
#include <tlm_utils/simple_initiator_socket.h>

#include <catch2/catch.hpp>
#include <functional>
#include <systemc>

#include "model/mmu_wrapper.h"
#include "model/phys_memory_target.h"
#include "model/tlm_phys_memory.h"
#include "sw/page_table.h"
#include "testbench/harness/simulation.h"
#include "testbench/workloads/basic_workload.h"

using namespace vmsim;

namespace {

// Runs a test body inside an SC_THREAD (where blocking calls are legal).
struct ThreadRunner : sc_core::sc_module {
  SC_HAS_PROCESS(ThreadRunner);
  ThreadRunner(sc_core::sc_module_name n, std::function<void()> body) : sc_module(n), body_(std::move(body)) {
    SC_THREAD(run);
  }
  void run() {
    body_();
    sc_core::sc_stop();
  }
  std::function<void()> body_;
};

struct Initiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Initiator> socket{"socket"};
  explicit Initiator(sc_core::sc_module_name n) : sc_module(n) {}
  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint64_t& data,
                                  sc_core::sc_time& delay) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(&data));
    t.set_data_length(8);
    t.set_streaming_width(8);
    socket->b_transport(t, delay);
    return t.get_response_status();
  }
};

// Memory, MMU wrapper and a runtime-side PhysMemory, wired as in CoSimTop.
struct MmuBench {
  PhysMemoryTarget memory{"memory", uint64_t{16} << 20, sc_core::sc_time(25, sc_core::SC_NS)};
  MmuWrapper mmu{"mmu", sc_core::sc_time(1, sc_core::SC_NS), DeviceSpec{}};
  TlmPhysMemory cpu_mem{"cpu_mem", uint64_t{16} << 20};
  MmuBench() {
    mmu.mem_socket.bind(memory.walker_socket);
    cpu_mem.socket.bind(memory.cpu_socket);
  }
};

}  // namespace

TEST_CASE("memory target serves in-range accesses and answers out-of-range ones with an error",
          "[cosim][memory]") {
  PhysMemoryTarget memory("memory", uint64_t{1} << 20, sc_core::sc_time(10, sc_core::SC_NS));
  Initiator init("init");
  Initiator dbg("dbg");
  init.socket.bind(memory.walker_socket);
  dbg.socket.bind(memory.cpu_socket);
  ThreadRunner runner("runner", [&] {
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    uint64_t v = 0x1122334455667788;
    REQUIRE(init.access(tlm::TLM_WRITE_COMMAND, 0x100, v, delay) == tlm::TLM_OK_RESPONSE);
    uint64_t r = 0;
    REQUIRE(init.access(tlm::TLM_READ_COMMAND, 0x100, r, delay) == tlm::TLM_OK_RESPONSE);
    REQUIRE(r == v);
    REQUIRE(delay == sc_core::sc_time(20, sc_core::SC_NS));  // latency annotated, not waited
    REQUIRE(init.access(tlm::TLM_READ_COMMAND, (1 << 20) - 4, r, delay) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    REQUIRE(init.access(tlm::TLM_READ_COMMAND, uint64_t{1} << 40, r, delay) ==
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // DMI covers the whole memory and sees the same bytes.
    tlm::tlm_generic_payload t;
    tlm::tlm_dmi dmi;
    REQUIRE(dbg.socket->get_direct_mem_ptr(t, dmi));
    REQUIRE(dmi.get_end_address() == (1 << 20) - 1);
    uint64_t via_dmi;
    std::memcpy(&via_dmi, dmi.get_dmi_ptr() + 0x100, 8);
    REQUIRE(via_dmi == v);
  });
  sc_core::sc_start();
}

TEST_CASE("wrapper serves walks with b_transport and counts the memory latency", "[cosim][mmu]") {
  MmuBench b;
  ThreadRunner runner("runner", [&] {
    PhysFrames frames(b.cpu_mem.size_bytes() >> kPageShift);
    PageTable t(b.cpu_mem, frames, PagingMode::kSv39);
    REQUIRE(t.map(VirtAddr{0x1000}, Ppn{42}, pte::kR | pte::kU | pte::kA));
    b.mmu.write_satp(make_satp(PagingMode::kSv39, Asid{1}, t.root()));
    const sc_core::sc_time before = sc_core::sc_time_stamp();
    const Translation r = b.mmu.translate(VirtAddr{0x1008}, Access::kLoad, Priv::kUser);
    REQUIRE_FALSE(r.fault);
    REQUIRE(r.pa == PhysAddr{42 * kPageSize + 8});
    const RtlMmuStats& s = b.mmu.core().stats();
    REQUIRE(s.pte_reads == 3);
    REQUIRE(s.walk_cycles >= 3 * 25);       // three PTE reads at 25 cycles each
    REQUIRE(s.walk_cycles < 3 * 25 + 16);   // plus a few cycles of walker control
    REQUIRE(b.memory.transactions() == 3);  // the runtime's own accesses went by DMI
    b.mmu.sync();
    REQUIRE(sc_core::sc_time_stamp() > before);
  });
  sc_core::sc_start();
}

TEST_CASE("a page table outside memory makes the walk an access fault through TLM", "[cosim][mmu]") {
  MmuBench b;
  ThreadRunner runner("runner", [&] {
    b.mmu.write_satp(make_satp(PagingMode::kSv39, Asid{1}, Ppn{uint64_t{1} << 30}));
    const Translation r = b.mmu.translate(VirtAddr{0x1000}, Access::kStore, Priv::kUser);
    REQUIRE(r.fault);
    REQUIRE(r.cause == Cause::kStoreAccessFault);
  });
  sc_core::sc_start();
}

TEST_CASE("a co-simulated run of the built-in workload has no mismatches", "[cosim][run]") {
  SimConfig cfg;
  WorkloadOptions w;
  w.accesses = 40'000;
  w.pages = 256;
  cfg.workload = std::make_shared<BasicWorkload>(w);
  const SimOutcome out = run_cosim(cfg);
  INFO(out.error << out.first_mismatch << out.report.workload.first_error);
  REQUIRE(out.error.empty());
  const RunReport& r = out.report;
  REQUIRE(r.passed());
  REQUIRE(r.mmu.translations >= 40'000);
  REQUIRE(r.mmu.tlb_hits > 0);
  REQUIRE(r.mmu.walks > 0);
  REQUIRE(r.runtime.faults.minor > 0);
  REQUIRE(r.runtime.faults.invalid == r.workload.figures["accesses.invalid_probes"].get<uint64_t>());
  for (unsigned l = 0; l < 3; ++l) REQUIRE(r.check.walks_by_leaf_level[l] > 0);
  REQUIRE(r.sim_time_ns >= double(r.sim_cycles));  // SystemC time kept up with the RTL
}

TEST_CASE("co-simulation and the plain harness produce identical figures", "[cosim][run]") {
  SimConfig cfg;
  WorkloadOptions w;
  w.accesses = 20'000;
  w.pages = 128;
  w.mode = PagingMode::kSv48;
  cfg.workload = std::make_shared<BasicWorkload>(w);
  cfg.mode = PagingMode::kSv48;
  cfg.svadu = true;
  const SimOutcome co = run_cosim(cfg);
  const SimOutcome plain = run_plain(cfg);
  REQUIRE(co.report.passed());
  REQUIRE(plain.report.passed());
  REQUIRE(co.report.sim_cycles == plain.report.sim_cycles);
  REQUIRE(co.report.mmu.tlb_hits == plain.report.mmu.tlb_hits);
  REQUIRE(co.report.mmu.pte_writes == plain.report.mmu.pte_writes);
  REQUIRE(co.report.runtime.faults.minor == plain.report.runtime.faults.minor);
}
