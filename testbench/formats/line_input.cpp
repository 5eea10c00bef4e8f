#include "testbench/formats/line_input.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmsim {

LineStatus read_line(std::istream& in, std::string& line, size_t max_len) {
  line.clear();
  bool got_any = false;
  for (int c; (c = in.get()) != std::char_traits<char>::eof();) {
    got_any = true;
    if (c == '\n') return LineStatus::kLine;
    if (line.size() == max_len) return LineStatus::kTooLong;
    line.push_back(char(c));
  }
  if (in.bad()) return LineStatus::kReadError;
  return got_any ? LineStatus::kLine : LineStatus::kEnd;  // a last line without '\n' counts
}

std::string quote_cut(const std::string& text, size_t max_len) {
  std::string out;
  const size_t n = std::min(text.size(), max_len);
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f)
      out += char(c);
    else
      out += fmt::format("\\x{:02x}", c);  // binary never reaches the terminal raw
  }
  if (text.size() > max_len) out += fmt::format("... ({} bytes)", text.size());
  return out;
}

}  // namespace vmsim
