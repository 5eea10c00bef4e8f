// Fuzz target: the text image and request parsers of `vmsim translate`
// (testbench/formats/text_image.h). The first byte picks RV64 or RV32 words
// and which parser; the rest is the file.
//
// Expected: either words/requests, or one error naming "FILE:LINE:" and cut
// to a bounded length; never both, never a crash.
#include <sstream>

#include "fuzz_input.h"
#include "fuzz_target.h"
#include "testbench/formats/text_image.h"

using namespace vmsim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  const uint8_t pick = in.u8();
  const unsigned word_bytes = (pick & 1) ? 4 : 8;
  std::istringstream text(in.rest());
  std::optional<ParseError> error;
  size_t parsed = 0;
  if (pick & 2) {
    const std::vector<Request> r = parse_requests(text, "fuzz.req", word_bytes, error);
    parsed = r.size();
    for (const Request& q : r) FUZZ_EXPECT(q.line >= 1, "request without a line number");
  } else {
    const std::vector<ImageWord> w = parse_image(text, "fuzz.img", word_bytes, error);
    parsed = w.size();
    for (const ImageWord& iw : w) {
      FUZZ_EXPECT(iw.line >= 1, "word without a line number");
      FUZZ_EXPECT(word_bytes == 8 || iw.value <= 0xffff'ffff, "RV32 image word wider than 32 bits");
    }
  }
  if (error) {
    FUZZ_EXPECT(error->message.rfind("fuzz.", 0) == 0, "error does not name the file: %s",
                error->message.c_str());
    FUZZ_EXPECT(error->message.size() < 512, "error message of %zu bytes", error->message.size());
  }
  (void)parsed;
  return 0;
}
