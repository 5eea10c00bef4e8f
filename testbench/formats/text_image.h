// text_image.h: the text formats of `vmsim translate`.
//
// Memory image: one `ADDR VALUE` per line, both hex (0x optional), VALUE a
// PTE-sized little-endian word; `#` starts a comment; blank lines are skipped.
//
// Request stream, one per line:
//   VA r|w|x u|s          translate (load/store/fetch, user/supervisor)
//   satp HEX              write satp
//   sfence VA|* ASID|*    sfence.vma (`*` for x0)
//   mem ADDR VALUE        store a PTE-sized word to physical memory
//   ctl [sum=0|1] [mxr=0|1] [svadu=0|1]
//                         change sstatus.SUM, sstatus.MXR, menvcfg.ADUE (the
//                         bits not named keep their value)
//
// Parsers read the whole input first and report the first bad line as
// "FILE:LINE: what is wrong", so nothing runs on half a file.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "sw/types.h"

namespace vmsim {

struct ImageWord {
  uint64_t addr;
  uint64_t value;
  unsigned line;
};

struct Request {
  enum class Kind { kTranslate, kSatp, kSfence, kMem, kControl } kind;
  unsigned line = 0;
  uint64_t a = 0;                     // VA, satp value, sfence VA, or mem address
  uint64_t b = 0;                     // sfence ASID or mem value
  bool has_a = false, has_b = false;  // sfence operands given (not `*`)
  Access access = Access::kLoad;
  Priv priv = Priv::kUser;
  // ctl: which bits change, and to what.
  std::optional<bool> sum, mxr, svadu;
};

struct ParseError {
  std::string message;  // "FILE:LINE: ..."
};

// word_bytes: 8 (RV64) or 4 (RV32). Values wider than a word are errors.
std::vector<ImageWord> parse_image(std::istream& in, const std::string& name, unsigned word_bytes,
                                   std::optional<ParseError>& error);
std::vector<Request> parse_requests(std::istream& in, const std::string& name, unsigned word_bytes,
                                    std::optional<ParseError>& error);

// Parses hex with an optional 0x prefix; nullopt when empty, not hex or > 64 bits.
std::optional<uint64_t> parse_hex(const std::string& s);

}  // namespace vmsim
