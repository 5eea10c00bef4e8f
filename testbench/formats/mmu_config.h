// mmu_config.h: a named MMU configuration, as the files under configs/ hold
// it (JSON): the organization of vmsim's RTL MMU that `--config FILE`
// builds once and then loads (testbench/app/config_device.h).
//
//   {
//     "name": "rocket",
//     "description": "a small in-order core: ...",
//     "source": "where the sizes come from",
//     "xlen": 64,
//     "l1_tlb": { "sets": 1, "ways": 32, "policy": "plru", "superpage_entries": 4 },
//     "l1_itlb": { "sets": 1, "ways": 32, "policy": "plru", "superpage_entries": 4 },
//     "l2_tlb": { "sets": 128, "ways": 8, "policy": "lru", "superpage_entries": 16, "latency": 9 }
//   }
//
// "l1_tlb" is the data TLB (and the only L1 without "l1_itlb"); "l1_itlb"
// serves fetches; "l2_tlb" is shared, looked up after an L1 miss, answering
// "latency" cycles later (1..255, default 2). Every key but "l1_tlb" may be
// left out ("name" defaults to the file's stem, "xlen" to 64, each TLB
// field to vmsim's default build: 1 x 16, plru, no superpage array; no
// instruction TLB, no L2). An unknown key is an error, so a misspelt
// parameter is never silently ignored. The rules are rtl/mmu_tlb.sv's, per
// TLB: sets, ways and superpage entries are powers of two, a
// set-associative array needs the superpage array, 2 to 8192 entries.
#pragma once

#include <optional>
#include <string>

#include "model/device.h"

namespace vmsim {

struct MmuConfig {
  std::string name, description, source;
  unsigned xlen = 64;
  TlbHierarchy tlb;
  // The parameters that make one build differ from another, in a fixed
  // order ("xlen=64 l1=1x32,plru,4 l2=128x8,lru,16,9"): what the build
  // cache is keyed on.
  std::string canonical() const;
};

// The configuration in `path`, or nullopt with `err` set to
// "FILE:LINE: what is wrong" (or "FILE: KEY: what is wrong").
std::optional<MmuConfig> load_mmu_config(const std::string& path, std::string& err);

}  // namespace vmsim
