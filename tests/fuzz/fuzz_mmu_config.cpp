// Fuzz target: MMU configuration files (testbench/formats/mmu_config.h),
// the JSON that `--config` and sweeps read.
//
// Expected: a configuration within the RTL's rules (powers of two, 2 to 8192
// entries per TLB), or an error naming the file. Never a crash.
#include "fuzz_target.h"
#include "memfd_file.h"
#include "testbench/formats/mmu_config.h"

using namespace vmsim;

namespace {
bool power_of_two(unsigned v) {
  return v && !(v & (v - 1));
}
void check_tlb(const TlbGeometry& g) {
  FUZZ_EXPECT(power_of_two(g.sets) && power_of_two(g.ways), "sets %u ways %u", g.sets, g.ways);
  FUZZ_EXPECT(g.entries() >= 2 && g.entries() <= 8192, "%u entries", g.entries());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::MemFile file(data, size);
  std::string err;
  const std::optional<MmuConfig> c = load_mmu_config(file.path(), err);
  if (!c) {
    FUZZ_EXPECT(err.find(file.path()) != std::string::npos, "error does not name the file: %s", err.c_str());
    FUZZ_EXPECT(err.size() < 1024, "error message of %zu bytes", err.size());
    return 0;
  }
  FUZZ_EXPECT(c->xlen == 32 || c->xlen == 64, "xlen %u", c->xlen);
  check_tlb(c->tlb.l1);
  if (c->tlb.l1i) check_tlb(*c->tlb.l1i);
  if (c->tlb.l2) check_tlb(*c->tlb.l2);
  (void)c->canonical();
  return 0;
}
