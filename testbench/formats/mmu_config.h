// mmu_config.h: a named MMU configuration, as the files under configs/ hold
// it (JSON): the organization of vmsim's RTL MMU that `--config FILE`
// builds once and then loads (testbench/app/config_device.h).
//
//   {
//     "name": "rocket",
//     "description": "a small in-order core: ...",
//     "source": "where the sizes come from",
//     "xlen": 64,
//     "l1_tlb": { "sets": 1, "ways": 32, "policy": "plru", "superpage_entries": 4 }
//   }
//
// Every key but "l1_tlb" may be left out ("name" defaults to the file's stem,
// "xlen" to 64, and each l1_tlb field to vmsim's default build: 1 x 16,
// plru, no superpage array). An unknown key is an error, so a misspelt
// parameter is never silently ignored. The rules are rtl/mmu_tlb.sv's:
// sets, ways and superpage entries are powers of two, a set-associative
// array needs the superpage array, 2 to 8192 entries in all.
#pragma once

#include <optional>
#include <string>

#include "model/device.h"

namespace vmsim {

struct MmuConfig {
  std::string name, description, source;
  unsigned xlen = 64;
  TlbGeometry l1;
  // The parameters that make one build differ from another, in a fixed
  // order ("xlen=64 l1=1x32,plru,4"): what the build cache is keyed on.
  std::string canonical() const;
};

// The configuration in `path`, or nullopt with `err` set to
// "FILE:LINE: what is wrong" (or "FILE: KEY: what is wrong").
std::optional<MmuConfig> load_mmu_config(const std::string& path, std::string& err);

}  // namespace vmsim
