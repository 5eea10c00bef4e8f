#include "testbench/formats/line_input.h"

#include <fmt/format.h>

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
  if (text.size() <= max_len) return text;
  return text.substr(0, max_len) + fmt::format("... ({} bytes)", text.size());
}

}  // namespace vmsim
