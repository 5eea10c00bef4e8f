// The guest kernel as a memory manager, over the RTL MMU: processes, shared
// pages, fault kinds, swap, A-bit aging, watermarks and the OOM killer.
#include <catch2/catch.hpp>
#include <random>

#include "support/kernel_fixture.h"
#include "sw/kernel/guest_runtime.h"
#include "sw/malloc/ptmalloc.h"
#include "testbench/workloads/malloc_replay.h"
#include "testbench/workloads/malloc_workload.h"

using namespace vmsim;

using test::kBase;
using test::Kernel;
using test::kRW;
using test::StubKswapd;

TEST_CASE("processes are isolated: the same address holds each one's own data", "[mm][process]") {
  Kernel k;
  Process& a = k.rt.current();
  REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 16 * kPageSize, kRW}));
  k.write(kBase, 0xAAAA);
  Process& b = k.rt.create_process("b");
  k.rt.switch_to(b);
  REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 16 * kPageSize, kRW}));
  REQUIRE(k.read(kBase) == 0);  // a fresh zero page, not a's data
  k.write(kBase, 0xBBBB);
  REQUIRE(a.as->asid() != b.as->asid());
  k.rt.switch_to(a);
  REQUIRE(k.read(kBase) == 0xAAAA);  // the TLB entry tagged with b's ASID does not leak
  // b cannot reach a's memory at an address b has no region for.
  REQUIRE(k.rt.add_lazy_region({"more", VirtAddr{kBase + 0x100000}, kPageSize, kRW}));
  k.write(kBase + 0x100000, 1);
  k.rt.switch_to(b);
  REQUIRE_FALSE(k.rt.load(VirtAddr{kBase + 0x100000}, 8, Priv::kUser).ok);
  REQUIRE_FALSE(b.alive);  // a segfault ends b
  REQUIRE(a.alive);
  REQUIRE(k.mmu.stats().mismatches == 0);
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("the second process to touch a resident shared page takes a soft fault with no new frame",
          "[mm][shared]") {
  Kernel k;
  auto shm = std::make_shared<MemoryObject>();
  shm->name = "shm";
  Process& a = k.rt.current();
  REQUIRE(k.rt.add_shared_region({"shm", VirtAddr{kBase}, 4 * kPageSize, kRW}, shm));
  k.write(kBase + 8, 42);
  Process& b = k.rt.create_process("b");
  k.rt.switch_to(b);
  REQUIRE(k.rt.add_shared_region({"shm", VirtAddr{0x2000'0000}, 4 * kPageSize, kRW}, shm));
  const uint64_t frames_before = k.rt.user_frames_in_use();  // page tables aside
  const uint64_t minor_before = b.faults.minor;
  REQUIRE(k.read(0x2000'0008) == 42);  // a's data, through b's own mapping
  REQUIRE(b.faults.minor == minor_before + 1);
  REQUIRE(b.faults.major == 0);
  REQUIRE(k.rt.user_frames_in_use() == frames_before);  // mapped, not allocated
  k.write(0x2000'0010, 7);
  k.rt.switch_to(a);
  REQUIRE(k.read(kBase + 0x10) == 7);
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("each fault kind is counted per process and in total with its cycles", "[mm][faults]") {
  RuntimeConfig cfg = Kernel::svadu();
  cfg.reclaim = ReclaimMode::kOnDemand;
  cfg.user_frames = 2;
  cfg.policy = "lru";  // so page 0 is the one evicted: this counts faults, not a policy's choice
  Kernel k(cfg);
  Process& p = k.rt.current();
  REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 8 * kPageSize, kRW}));
  for (uint64_t i = 0; i < 3; ++i) k.write(kBase + i * kPageSize, i + 1);  // 3 pages, 2 frames: one swapped
  REQUIRE(p.faults.minor == 3);
  REQUIRE(k.read(kBase) == 1);  // page 0 was evicted: a major fault
  REQUIRE(p.faults.major == 1);
  REQUIRE(p.faults.major_cycles >= 100);  // at least the swap device's latency
  REQUIRE_FALSE(k.rt.load(VirtAddr{0x7000'0000}, 8, Priv::kUser).ok);
  REQUIRE(p.faults.invalid == 1);
  REQUIRE(k.rt.stats().faults.minor == 3);
  REQUIRE(k.rt.stats().faults.major == 1);
  REQUIRE(k.rt.stats().faults.invalid == 1);
}

TEST_CASE("random data survives a round trip through swap", "[mm][swap]") {
  RuntimeConfig cfg;
  cfg.reclaim = ReclaimMode::kOnDemand;
  cfg.user_frames = 16;
  Kernel k(cfg);
  REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 128 * kPageSize, kRW}));
  std::mt19937_64 rng(7);
  std::vector<uint64_t> data(128 * 64);
  for (size_t i = 0; i < data.size(); ++i) {
    data[i] = rng();
    k.write(kBase + i * 64, data[i]);  // 64 words per page, spread over the page
  }
  REQUIRE(k.rt.stats().swap_outs >= 100);
  for (size_t i = 0; i < data.size(); ++i) REQUIRE(k.read(kBase + i * 64) == data[i]);
  REQUIRE(k.rt.stats().swap_ins >= 100);
  REQUIRE(k.rt.stats().faults.major > 0);
  REQUIRE(k.mmu.stats().mismatches == 0);
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("a clean page whose swap copy is valid is dropped without a second write", "[mm][swap]") {
  RuntimeConfig cfg = Kernel::svadu();
  cfg.reclaim = ReclaimMode::kOnDemand;
  cfg.user_frames = 1;
  cfg.policy = "fifo";
  Kernel k(cfg);
  REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 2 * kPageSize, kRW}));
  k.write(kBase, 1);              // page 0 dirty
  k.write(kBase + kPageSize, 2);  // evicts page 0: written out
  REQUIRE(k.rt.stats().swap_outs == 1);
  REQUIRE(k.read(kBase) == 1);  // page 0 back (clean), page 1 written out
  REQUIRE(k.rt.stats().swap_outs == 2);
  REQUIRE(k.read(kBase + kPageSize) == 2);  // page 0 is clean with a valid copy: dropped
  REQUIRE(k.rt.stats().swap_outs == 2);
  REQUIRE(k.rt.stats().swap_clean_drops == 1);
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("a corrupted swap slot is detected and never handed to the guest", "[mm][swap]") {
  RuntimeConfig cfg;
  cfg.reclaim = ReclaimMode::kOnDemand;
  cfg.user_frames = 1;
  Kernel k(cfg);
  REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 2 * kPageSize, kRW}));
  k.write(kBase, 0x1234);
  k.write(kBase + kPageSize, 1);  // page 0 goes to swap
  REQUIRE(k.rt.swap().used() == 1);
  uint64_t slot = 0;
  while (!k.rt.swap().in_use(slot)) ++slot;
  k.rt.corrupt_swap_slot_for_test(slot);
  const AccessResult a = k.rt.load(VirtAddr{kBase}, 8, Priv::kUser);
  REQUIRE_FALSE(a.ok);
  INFO(a.fault->reason);
  REQUIRE(a.fault->reason.find("swap slot " + std::to_string(slot)) != std::string::npos);
  REQUIRE(a.fault->reason.find("page 0") != std::string::npos);
  REQUIRE(a.fault->reason.find("CRC") != std::string::npos);
  REQUIRE(k.rt.stats().swap_corrupt == 1);
}

TEST_CASE("A-bit aging fences the TLB so a page used only through TLB hits still counts as referenced",
          "[mm][aging]") {
  Kernel k(Kernel::svadu());
  REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, kPageSize, kRW}));
  k.write(kBase, 1);  // mapped, A set, in the TLB
  REQUIRE(k.read(kBase) == 1);
  REQUIRE(k.rt.test_and_clear_young(VirtAddr{kBase}));        // referenced; A cleared, TLB entry fenced
  REQUIRE_FALSE(k.rt.test_and_clear_young(VirtAddr{kBase}));  // nothing since
  const uint64_t hits = k.core.stats().tlb_hits;
  REQUIRE(k.read(kBase) == 1);  // must walk (the fence removed the entry), so the walker sets A
  REQUIRE(k.core.stats().tlb_hits == hits);
  REQUIRE(k.rt.test_and_clear_young(VirtAddr{kBase}));
  REQUIRE(k.mmu.stats().mismatches == 0);
}

TEST_CASE("below low the kernel wakes kswapd, which reclaims to high - below min the fault reclaims directly",
          "[mm][watermarks]") {
  StubKswapd kswapd;
  RuntimeConfig cfg = Kernel::svadu();
  cfg.watermarks = {40, 60, 80};
  Kernel k(cfg, 512, 4096, &kswapd);
  REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 1024 * kPageSize, kRW}));
  uint64_t page = 0;
  while (k.rt.frames().free_count() >= 60) k.write(kBase + page * kPageSize, page), ++page;
  REQUIRE(kswapd.wakes >= 1);  // woken as free frames fell below low
  REQUIRE(k.rt.stats().reclaim_direct == 0);
  // kswapd is asleep: the faulting path must reclaim by itself below min.
  for (int i = 0; i < 100; ++i) k.write(kBase + page * kPageSize, page), ++page;
  REQUIRE(k.rt.stats().reclaim_direct > 0);
  REQUIRE(k.rt.frames().free_count() >= 40);
  // When kswapd runs, it stops at high.
  k.rt.background_reclaim();
  REQUIRE(k.rt.frames().free_count() >= 80);
  REQUIRE(k.rt.stats().reclaim_background > 0);
  REQUIRE(k.rt.audit().clean());
}

TEST_CASE("the OOM killer takes the largest process unless oom_score_adj says otherwise", "[mm][oom]") {
  for (int adj_small : {0, 1000}) {
    RuntimeConfig cfg = Kernel::svadu();
    Kernel k(cfg, 512, 0);  // no swap: memory runs out quickly
    Process& big = k.rt.current();
    big.name = "big";
    REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 1024 * kPageSize, kRW}));
    for (uint64_t i = 0; i < 200; ++i) k.write(kBase + i * kPageSize, i);
    Process& small = k.rt.create_process("small", adj_small);
    Process& exempt = k.rt.create_process("exempt", -1000);
    k.rt.switch_to(small);
    REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 1024 * kPageSize, kRW}));
    for (uint64_t i = 0; i < 50; ++i) k.write(kBase + i * kPageSize, i);
    k.rt.switch_to(exempt);
    REQUIRE(k.rt.add_lazy_region({"heap", VirtAddr{kBase}, 1024 * kPageSize, kRW}));
    for (uint64_t i = 0; i < 1024 && k.rt.stats().oom_kills == 0; ++i) k.write(kBase + i * kPageSize, i);
    REQUIRE(k.rt.stats().oom_kills == 1);
    const OomKill& kill = k.rt.oom_log().at(0);
    INFO("adj " << adj_small << " killed " << kill.name);
    REQUIRE(kill.name == (adj_small == 1000 ? "small" : "big"));
    REQUIRE(exempt.alive);
    REQUIRE(kill.rss > 0);
    REQUIRE(k.rt.audit().clean());
  }
}

TEST_CASE("munmap frees frames and swap, mprotect takes effect at once, brk grows and shrinks",
          "[mm][syscalls]") {
  Kernel k(Kernel::svadu());
  auto at = k.rt.mmap(8 * kPageSize, kRW);
  REQUIRE(at);
  for (uint64_t i = 0; i < 8; ++i) k.write(at->value() + i * kPageSize, i);
  const uint64_t used = k.rt.frames().used();
  REQUIRE(k.rt.munmap(VirtAddr{at->value() + 2 * kPageSize}, 4 * kPageSize));  // a hole in the middle
  REQUIRE(k.rt.frames().used() == used - 4);
  REQUIRE(k.read(at->value()) == 0);
  REQUIRE(k.read(at->value() + 7 * kPageSize) == 7);
  REQUIRE(k.rt.mprotect(*at, kPageSize, Perms{true, false, false, true}));
  REQUIRE_FALSE(k.rt.store(*at, 1, 8, Priv::kUser).ok);  // the TLB was fenced: the store faults
  REQUIRE_FALSE(k.rt.current().alive);

  Process& p = k.rt.create_process("heap-user");
  k.rt.switch_to(p);
  const VirtAddr start = *k.rt.brk(std::nullopt);
  REQUIRE(k.rt.brk(VirtAddr{start.value() + 3 * kPageSize}));
  k.write(start.value() + 2 * kPageSize, 5);
  REQUIRE(k.rt.brk(VirtAddr{start.value() + kPageSize}));
  REQUIRE_FALSE(k.rt.load(VirtAddr{start.value() + 2 * kPageSize}, 8, Priv::kUser).ok);
  REQUIRE(k.mmu.stats().mismatches == 0);
}

TEST_CASE("the allocator gives identical results in guest memory and in host memory, with every top pad",
          "[mm][malloc]") {
  const uint64_t top_pad = GENERATE(pm::kDefaultTopPad, uint64_t{0}, uint64_t{4096});
  INFO("top pad " << top_pad);
  Kernel k(Kernel::svadu(), 16384);
  GuestHeap gheap(k.rt);
  Ptmalloc<GuestHeap> guest(gheap);
  NativeHeap nheap;
  Ptmalloc<NativeHeap> native(nheap);
  guest.mallopt(MallOpt::kTopPad, top_pad);
  native.mallopt(MallOpt::kTopPad, top_pad);
  const MallocTrace t = make_malloc_workload_trace(3000, 9);
  const ReplayResult g = replay_checked(guest, t, true);
  const ReplayResult n = replay_checked(native, t, false);
  INFO(g.first_error << n.first_error);
  REQUIRE(g.integrity_errors == 0);
  REQUIRE(n.integrity_errors == 0);
  REQUIRE(g.peak_heap == n.peak_heap);
  REQUIRE(g.peak_payload == n.peak_payload);
  REQUIRE(g.utilization == n.utilization);
  REQUIRE(guest.counters().tcache_hits == native.counters().tcache_hits);
  REQUIRE(guest.counters().binmap_hits == native.counters().binmap_hits);
  REQUIRE(guest.counters().mmaps == native.counters().mmaps);
  REQUIRE(guest.brk_bytes() == native.brk_bytes());
  REQUIRE(k.mmu.stats().mismatches == 0);
  REQUIRE(k.rt.stats().faults.minor > 0);  // the heap was faulted in through the MMU
}

TEST_CASE("a guest double free ends the process cleanly and the runtime goes on", "[mm][malloc]") {
  Kernel k(Kernel::svadu());
  GuestHeap heap(k.rt);
  Ptmalloc<GuestHeap> a(heap);
  const uint64_t p = a.malloc(64);
  a.free(p);
  a.free(p);
  REQUIRE(a.error());
  REQUIRE(a.error()->what.find("double free") != std::string::npos);
  REQUIRE(k.rt.audit().clean());
}
