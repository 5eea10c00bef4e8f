// fork() over the RTL MMU: copy-on-write isolation, frames shared until
// written, swap of shared pages, teardown, and the process limit.
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "support/kernel_fixture.h"
#include "sw/kernel/guest_runtime.h"

using namespace vmsim;

using test::kBase;
using test::Kernel;
using test::kRW;
using test::require_clean_audit;

namespace {

// What each process must read: a host-side copy of its words.
using Model = std::map<uint64_t, uint64_t>;  // va -> value (absent: zero)

void check_all(Kernel& k, Process& p, const Model& m, uint64_t pages) {
  k.rt.switch_to(p);
  for (uint64_t i = 0; i < pages; ++i) {
    const uint64_t va = kBase + i * kPageSize + 8 * (i % 7);
    auto it = m.find(va);
    INFO("pid " << p.pid << " page " << i);
    REQUIRE(k.read(va) == (it == m.end() ? 0 : it->second));
  }
}

// Random loads and stores by parent and child, each checked against its model.
void random_steps(Kernel& k, Process* procs[2], Model models[2], uint64_t pages, int steps, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int s = 0; s < steps; ++s) {
    const int who = int(rng() % 2);
    k.rt.switch_to(*procs[who]);
    const uint64_t i = rng() % pages;
    const uint64_t va = kBase + i * kPageSize + 8 * (i % 7);
    if (rng() % 3 == 0) {
      const uint64_t v = rng();
      k.write(va, v);
      models[who][va] = v;
    } else {
      auto it = models[who].find(va);
      INFO("step " << s << " pid " << procs[who]->pid << " page " << i);
      REQUIRE(k.read(va) == (it == models[who].end() ? 0 : it->second));
    }
  }
}

}  // namespace

TEST_CASE("fork shares every page until it is written, then each process's writes stay its own",
          "[mm][fork]") {
  Kernel k;
  constexpr uint64_t kPages = 48;
  Process& parent = k.rt.current();
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, kPages * kPageSize, kRW}));
  Model models[2];
  for (uint64_t i = 0; i < kPages; i += 2) {  // every other page written, the rest never touched
    const uint64_t va = kBase + i * kPageSize + 8 * (i % 7);
    k.write(va, 1000 + i);
    models[0][va] = 1000 + i;
  }
  const uint64_t frames_before = k.rt.user_frames_in_use();
  Process* child = k.rt.fork(parent);
  REQUIRE(child);
  models[1] = models[0];
  CHECK(k.rt.pages_shared_since_fork() == kPages / 2);
  CHECK(k.rt.user_frames_in_use() == frames_before);  // nothing copied by fork itself
  check_all(k, *child, models[1], kPages);            // reads map the shared frames: still no copy
  check_all(k, parent, models[0], kPages);
  CHECK(k.rt.stats().faults.cow == 0);
  require_clean_audit(k);

  // The first store to a shared page copies it, once per process.
  k.rt.switch_to(*child);
  const uint64_t va0 = kBase + 8 * 0;
  k.write(va0, 77);
  models[1][va0] = 77;
  CHECK(k.rt.stats().faults.cow == 1);
  CHECK(child->faults.cow == 1);
  k.write(va0 + 8, 78);  // the copy is the child's now: no second copy
  models[1][va0 + 8] = 78;
  CHECK(k.rt.stats().faults.cow == 1);
  check_all(k, parent, models[0], kPages);  // the parent still reads the value from before the fork

  Process* procs[2] = {&parent, child};
  random_steps(k, procs, models, kPages, 3000, 11);
  check_all(k, parent, models[0], kPages);
  check_all(k, *child, models[1], kPages);
  require_clean_audit(k);

  k.rt.exit_process(*child, "done");
  check_all(k, parent, models[0], kPages);
  require_clean_audit(k);
  k.rt.exit_process(parent, "done");
  CHECK(k.rt.user_frames_in_use() == 0);  // the shared pages went with their last user
  require_clean_audit(k);
}

TEST_CASE("fork under memory pressure: shared pages are swapped out and back, and no write is lost",
          "[mm][fork][swap]") {
  Kernel k({}, 160, 1024);
  constexpr uint64_t kPages = 120;
  Process& parent = k.rt.current();
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, kPages * kPageSize, kRW}));
  Model models[2];
  for (uint64_t i = 0; i < kPages; ++i) {
    const uint64_t va = kBase + i * kPageSize + 8 * (i % 7);
    k.write(va, 5000 + i);
    models[0][va] = 5000 + i;
  }
  Process* child = k.rt.fork(parent);
  REQUIRE(child);
  models[1] = models[0];
  Process* procs[2] = {&parent, child};
  random_steps(k, procs, models, kPages, 6000, 12);
  CHECK(k.rt.stats().swap_outs > 0);
  CHECK(k.rt.stats().faults.cow > 0);
  check_all(k, parent, models[0], kPages);
  check_all(k, *child, models[1], kPages);
  require_clean_audit(k);
}

TEST_CASE("a grandchild forked from a child sees the child's writes, not the parent's later ones",
          "[mm][fork]") {
  Kernel k;
  Process& parent = k.rt.current();
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, 4 * kPageSize, kRW}));
  k.write(kBase, 1);
  Process* child = k.rt.fork(parent);
  REQUIRE(child);
  k.rt.switch_to(*child);
  k.write(kBase, 2);
  Process* grandchild = k.rt.fork(*child);
  REQUIRE(grandchild);
  k.rt.switch_to(parent);
  k.write(kBase, 3);
  k.rt.switch_to(*grandchild);
  CHECK(k.read(kBase) == 2);
  k.write(kBase + kPageSize, 9);
  k.rt.switch_to(*child);
  CHECK(k.read(kBase) == 2);
  CHECK(k.read(kBase + kPageSize) == 0);
  k.rt.exit_process(*child, "done");
  k.rt.switch_to(*grandchild);
  CHECK(k.read(kBase) == 2);
  CHECK(k.read(kBase + kPageSize) == 9);
  require_clean_audit(k);
}

TEST_CASE("fork past the process limit (one ASID each) returns no process", "[mm][fork]") {
  RuntimeConfig cfg;
  cfg.mode = PagingMode::kSv32;
  Kernel k(cfg, 2048);
  Process& parent = k.rt.current();
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, kPageSize, kRW}));
  k.write(kBase, 5);
  int made = 0;
  while (k.rt.fork(parent)) ++made;
  CHECK(made == 511 - int(cfg.asid.value()));  // Sv32 has 512 ASIDs, from the first one on
  CHECK(k.read(kBase) == 5);
  require_clean_audit(k);
}

// Found by the runtime fuzzer: mprotect rewrote the rights of every leaf in
// the range, and a leaf a read had mapped to the parent's shared page took W;
// the child's next store then changed the parent's page in place.
TEST_CASE("fork: mprotect after the child reads a shared page does not let its store skip the copy",
          "[mm][fork]") {
  Kernel k;
  Process& parent = k.rt.current();
  REQUIRE(k.rt.add_lazy_region({"data", VirtAddr{kBase}, 4 * kPageSize, kRW}));
  k.write(kBase, 1);
  Process* child = k.rt.fork(parent);
  REQUIRE(child);
  k.rt.switch_to(*child);
  REQUIRE(k.read(kBase) == 1);  // maps the parent's frame, without W
  REQUIRE(k.rt.mprotect(VirtAddr{kBase}, 4 * kPageSize, kRW));
  require_clean_audit(k);
  k.write(kBase, 2);
  CHECK(k.rt.stats().faults.cow == 1);
  k.rt.switch_to(parent);
  CHECK(k.read(kBase) == 1);
  require_clean_audit(k);
}
