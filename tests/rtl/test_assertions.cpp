// Every RTL assertion fires when its property is broken, and a firing
// assertion fails the run: the driver throws RtlError naming the assertion
// and the cycle. Internal invariants are broken by writing the state the
// assertion guards (rtl/fault_injection.vlt); protocol assertions by
// breaking the protocol.
#include <catch2/catch.hpp>

#include "support/rtl_fixture.h"

using namespace vmsim;
using namespace vmsim::test;
using Catch::Matchers::Contains;

namespace {

// A fixture with one mapped page, its translation cached.
struct Warm : RtlFixture {
  Warm() {
    REQUIRE(core.info().assertions);
    map(0x1000, kUserRW);
    REQUIRE_FALSE(load(0x1008).fault);
  }
};

void require_fires(const std::function<void()>& run, const char* assertion) {
  REQUIRE_THROWS_MATCHES(run(), RtlError,
                         Catch::Matchers::Predicate<RtlError>(
                             [&](const RtlError& e) {
                               const std::string what = e.what();
                               return what.find(assertion) != std::string::npos &&
                                      what.find("RTL assertion failed at cycle") != std::string::npos;
                             },
                             std::string("an RtlError naming ") + assertion + " and the cycle"));
}

// Writes satp from inside a walk, as a requester that ignores the protocol would.
class SatpWriterMemory final : public WalkerMemory {
 public:
  explicit SatpWriterMemory(SparseStore& s) : plain_(s, 2) {}
  RtlMmuCore* core = nullptr;
  WalkerResponse access(const WalkerRequest& req, uint64_t elapsed) override {
    if (core) core->write_satp(0);
    return plain_.access(req, elapsed);
  }

 private:
  PlainWalkerMemory plain_;
};

}  // namespace

TEST_CASE("assertion WalkTracked fires when the top tracks a walk the walker is not doing", "[assert]") {
  Warm f;
  f.core.inject_for_test(RtlFault::kWalkerBusyUntracked);
  require_fires([&] { f.load(0x1008); }, "WalkTracked");
}

TEST_CASE("assertion StateLegal fires on a walker state that is no state", "[assert]") {
  Warm f;
  f.core.inject_for_test(RtlFault::kWalkerStateIllegal);
  require_fires([&] { f.load(0x1008); }, "StateLegal");
}

TEST_CASE("assertion SlotStateLegal fires on a request slot state that is no state", "[assert]") {
  Warm f;
  f.core.inject_for_test(RtlFault::kSlotStateIllegal);
  require_fires([&] { f.load(0x1008); }, "SlotStateLegal");
}

TEST_CASE("assertion RefillNotDuplicate fires when a re-walk refills beside the entry that hit", "[assert]") {
  RtlFixture f;
  f.use(Asid{1}, TranslationControl{false, false, true});  // Svadu: the store's walk sets D and refills
  f.map(0x1000, pte::kR | pte::kW | pte::kU | pte::kA);    // D clear
  REQUIRE_FALSE(f.load(0x1008).fault);                     // cached with D clear
  f.core.inject_for_test(RtlFault::kRefillForgetsHit);
  require_fires([&] { f.store_(0x1008); }, "RefillNotDuplicate");
}

TEST_CASE("assertion RspOnlyWhenWaiting fires on a memory response nobody asked for", "[assert]") {
  Warm f;
  require_fires([&] { f.core.inject_for_test(RtlFault::kStrayMemoryResponse); }, "RspOnlyWhenWaiting");
}

TEST_CASE("assertion RespOnlyAfterRequest fires on a response with no request outstanding", "[assert]") {
  Warm f;
  f.core.inject_for_test(RtlFault::kStrayResponse);
  require_fires([&] { f.load(0x1008); }, "RespOnlyAfterRequest");
}

TEST_CASE("assertion NoSatpWriteInWalk fires when satp is written during a walk", "[assert]") {
  SparseStore store(uint64_t{16} << 20);
  HostMemory mem(store);
  SatpWriterMemory wmem(store);
  RtlMmuCore core(wmem);
  PhysFrames frames(store.size() >> kPageShift);
  PageTable table(mem, frames, PagingMode::kSv39);
  REQUIRE(table.map(VirtAddr{0x5000}, Ppn{99}, kUserRW));
  core.write_satp(make_satp(PagingMode::kSv39, Asid{1}, table.root()));
  wmem.core = &core;
  require_fires([&] { core.translate(VirtAddr{0x5008}, Access::kLoad, Priv::kUser); }, "NoSatpWriteInWalk");
}

TEST_CASE("a device that never answers is reported as hung, with the request and the cycle", "[assert]") {
  Warm f;
  // A walker waiting for a memory response that never comes, and so never
  // ready for the next request: nothing will answer it.
  f.core.inject_for_test(RtlFault::kWalkerStuck);
  try {
    f.core.translate(VirtAddr{0x9000}, Access::kStore, Priv::kUser);
    FAIL("no error");
  } catch (const RtlError& e) {
    const std::string what = e.what();
    REQUIRE_THAT(what, Contains("did not answer within"));
    REQUIRE_THAT(what, Contains("request va 0x9000 w u"));
    REQUIRE_THAT(what, Contains("now cycle"));
  }
}
