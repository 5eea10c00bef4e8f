// line_input.h: reading a text input line by line with bounded memory, and
// quoting its contents in messages with bounded length.
//
// std::getline grows a line until the newline however far away it is (a
// 700 MB comment, /dev/zero), and a failed read then looks like the end of
// the file. read_line stops at a limit and tells a read error from the end.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace vmsim {

// The longest line the text formats accept (a line is a few fields).
constexpr size_t kMaxTextLine = 4096;

enum class LineStatus {
  kLine,       // `line` holds the next line, without its '\n'
  kEnd,        // no more lines
  kTooLong,    // the line goes on past `max_len` bytes
  kReadError,  // the stream failed (an I/O error, or memory ran out)
};

LineStatus read_line(std::istream& in, std::string& line, size_t max_len = kMaxTextLine);

// A field or line as a message quotes it: at most `max_len` characters, then
// "... (N bytes)"; control and non-ASCII bytes as \xNN.
std::string quote_cut(const std::string& text, size_t max_len = 40);

}  // namespace vmsim
