// What a hart implements (sw/mmu_features.h): the text devices declare it
// in, and the reference holding a device to it: without Svpbmt or Svnapot
// their PTE bits fault, without Svadu missing A/D bits fault whatever
// software asks, and a satp write of a mode the hart lacks has no effect.
#include <catch2/catch.hpp>

#include "model/host_memory.h"
#include "model/sparse_store.h"
#include "sw/page_table.h"
#include "sw/phys_frames.h"
#include "testbench/check/reference_mmu.h"

using namespace vmsim;

namespace {

MmuFeatures parse_ok(std::string_view text, unsigned xlen = 64) {
  std::string error;
  const std::optional<MmuFeatures> f = parse_mmu_features(text, xlen, error);
  INFO(error);
  REQUIRE(f);
  return *f;
}

std::string parse_error(std::string_view text, unsigned xlen = 64) {
  std::string error;
  REQUIRE_FALSE(parse_mmu_features(text, xlen, error));
  return error;
}

constexpr uint64_t kUserRW = pte::kR | pte::kW | pte::kU | pte::kA | pte::kD;

// One Sv39 table with a 4 KiB leaf at VA 0x1000, judged by a reference that
// implements `features`.
struct OneLeaf {
  explicit OneLeaf(const MmuFeatures& features)
      : store(16 << 20),
        mem(store),
        frames(store.size() >> kPageShift),
        table(mem, frames, PagingMode::kSv39),
        ref(mem, features) {
    ref.write_satp(make_satp(PagingMode::kSv39, Asid{1}, table.root()));
  }
  void leaf(uint64_t extra_bits, uint64_t flags = kUserRW) {
    REQUIRE(table.map(VirtAddr{0x1000}, Ppn{0x80}, flags, 0));
    auto slot = table.find_leaf(VirtAddr{0x1000});
    table.update(*slot, pte::make(Ppn{0x80}, flags | pte::kV) | extra_bits);
  }
  RefResult load() { return ref.expect(VirtAddr{0x1008}, Access::kLoad, Priv::kUser).spec; }

  SparseStore store;
  HostMemory mem;
  PhysFrames frames;
  PageTable table;
  ReferenceMmu ref;
};

}  // namespace

TEST_CASE("features: empty means every mode of the XLEN and every extension", "[sw][features]") {
  const MmuFeatures f = parse_ok("");
  CHECK(f.implements(PagingMode::kSv39));
  CHECK(f.implements(PagingMode::kSv57));
  CHECK_FALSE(f.implements(PagingMode::kSv32));
  CHECK((f.svnapot && f.svpbmt && f.svadu));
  CHECK(f.to_string() == "sv39 sv48 sv57 svnapot svpbmt svadu");
  CHECK(parse_ok("", 32).to_string() == "sv32 svadu");
}

TEST_CASE("features: a list names exactly what is implemented, and reads back", "[sw][features]") {
  const MmuFeatures f = parse_ok("sv39, svnapot");
  CHECK(f.implements(PagingMode::kBare));
  CHECK(f.implements(PagingMode::kSv39));
  CHECK_FALSE(f.implements(PagingMode::kSv48));
  CHECK((f.svnapot && !f.svpbmt && !f.svadu));
  CHECK(parse_ok(f.to_string()).to_string() == "sv39 svnapot");
}

TEST_CASE("features: unknown names, modes of the other XLEN and a list with no mode are refused",
          "[sw][features]") {
  CHECK(parse_error("sv39 svfoo").find("unknown feature 'svfoo'") != std::string::npos);
  CHECK(parse_error("sv32").find("not a mode of an RV64 MMU") != std::string::npos);
  CHECK(parse_error("sv39", 32).find("not a mode of an RV32 MMU") != std::string::npos);
  CHECK(parse_error("sv32 svnapot", 32).find("only in RV64") != std::string::npos);
  CHECK(parse_error("svnapot").find("names no paging mode") != std::string::npos);
}

TEST_CASE("features: PBMT bits are reserved without Svpbmt, legal with it", "[sw][features][checker]") {
  const uint64_t nc = uint64_t{1} << pte::kPbmtShift;
  OneLeaf with(MmuFeatures::all(64));
  with.leaf(nc);
  CHECK_FALSE(with.load().t.fault);
  OneLeaf without(parse_ok("sv39 svnapot svadu"));
  without.leaf(nc);
  CHECK(without.load().kind == WalkFault::kReservedBits);
}

TEST_CASE("features: the N bit is reserved without Svnapot", "[sw][features][checker]") {
  OneLeaf with(MmuFeatures::all(64));
  with.leaf(pte::kN);  // N with PPN[3:0] = 0: a reserved napot encoding either way
  CHECK(with.load().kind == WalkFault::kNapot);
  OneLeaf without(parse_ok("sv39 svpbmt svadu"));
  without.leaf(pte::kN);
  CHECK(without.load().kind == WalkFault::kReservedBits);
}

TEST_CASE("features: without Svadu a missing A bit faults even when software enables ADUE",
          "[sw][features][checker]") {
  for (bool svadu : {true, false}) {
    INFO("svadu " << svadu);
    OneLeaf b(parse_ok(svadu ? "sv39 svadu" : "sv39"));
    b.leaf(0, kUserRW & ~pte::kA);
    b.ref.set_control(TranslationControl{false, false, true});
    const RefResult r = b.load();
    CHECK(r.t.fault == !svadu);
    CHECK(r.ad_update.has_value() == svadu);
  }
}

TEST_CASE("features: a satp write of a mode the hart lacks has no effect", "[sw][features][checker]") {
  OneLeaf b(parse_ok("sv39"));
  b.leaf(0);
  const Ppn root = b.table.root();
  CHECK_FALSE(b.ref.write_satp(make_satp(PagingMode::kSv48, Asid{2}, root)));
  CHECK_FALSE(b.ref.write_satp((uint64_t{5} << 60) | root.value()));  // a reserved MODE
  CHECK(b.load().t.pa == PhysAddr{0x80008});                          // still Sv39 on the old root
  CHECK(b.ref.write_satp(0));                                         // Bare is always implemented
  CHECK(b.load().t.pa == PhysAddr{0x1008});
}
