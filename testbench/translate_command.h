// translate_command.h: `vmsim translate`, checking your own page tables.
//
// Loads a physical-memory image, then runs each request through the RTL MMU
// (stepped from plain C++), in order, with the checker comparing every answer
// against the reference model. Prints one line per translation:
//   0x1000 r u -> 0x80001000
//   0x2000 w s -> fault store_page_fault
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace vmsim {

struct TranslateOptions {
  std::string image_path;
  std::string requests_path;
  uint64_t satp = 0;
  unsigned xlen = 64;
  bool svadu = false, sum = false, mxr = false;
  std::string dump_image_path;
  std::string trace_path;
  uint64_t mem_mib = 4096;
  bool verbose = false;  // add "(tlb hit)" / the fault kind to each line
};

// Returns the exit status: 0 all agreed, 1 checker mismatch or I/O failure,
// 2 malformed input (message on `err`).
int run_translate(const TranslateOptions& o, std::ostream& out, std::ostream& err);

}  // namespace vmsim
