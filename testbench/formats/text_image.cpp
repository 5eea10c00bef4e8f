#include "testbench/formats/text_image.h"

#include <fmt/format.h>

#include <sstream>

#include "testbench/formats/line_input.h"

namespace vmsim {

std::optional<uint64_t> parse_hex(const std::string& s) {
  size_t i = (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 2 : 0;
  if (i == s.size() || s.size() - i > 16) return std::nullopt;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    unsigned d;
    if (c >= '0' && c <= '9')
      d = unsigned(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = unsigned(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = unsigned(c - 'A' + 10);
    else
      return std::nullopt;
    v = (v << 4) | d;
  }
  return v;
}

namespace {

// Splits a line into whitespace-separated fields, dropping a # comment and a
// trailing CR (files written on Windows).
std::vector<std::string> fields_of(std::string line) {
  if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::istringstream ss(line);
  std::vector<std::string> f;
  for (std::string w; ss >> w;) f.push_back(w);
  return f;
}

class LineReader {
 public:
  LineReader(const std::string& name, std::optional<ParseError>& error) : name_(name), error_(error) {}
  // Reads line number `line` into `text`; false (the error recorded) when
  // it is too long or the read failed. done() then says the input ended.
  bool next(std::istream& in, unsigned line, std::string& text) {
    switch (read_line(in, text)) {
      case LineStatus::kLine:
        return true;
      case LineStatus::kEnd:
        done_ = true;
        return true;
      case LineStatus::kTooLong:
        return fail(line, fmt::format("line longer than {} characters", kMaxTextLine));
      case LineStatus::kReadError:
        break;
    }
    if (!error_) error_ = ParseError{fmt::format("{}: read error at line {}", name_, line)};
    return false;
  }
  bool done() const { return done_; }
  bool fail(unsigned line, const std::string& what) {
    if (!error_) error_ = ParseError{fmt::format("{}:{}: {}", name_, line, what)};
    return false;
  }
  std::optional<uint64_t> hex(unsigned line, const std::string& field, const char* what) {
    auto v = parse_hex(field);
    if (!v) fail(line, fmt::format("{} '{}' is not a hex number of at most 64 bits", what, quote_cut(field)));
    return v;
  }
  std::optional<uint64_t> word(unsigned line, const std::string& field, unsigned bytes) {
    auto v = hex(line, field, "value");
    if (v && bytes < 8 && (*v >> (8 * bytes)) != 0) {
      fail(line, fmt::format("value '{}' does not fit a {}-byte PTE", field, bytes));
      return std::nullopt;
    }
    return v;
  }
  std::optional<uint64_t> aligned_addr(unsigned line, const std::string& field, unsigned bytes) {
    auto v = hex(line, field, "address");
    if (v && *v % bytes) {
      fail(line, fmt::format("address '{}' is not aligned to the {}-byte PTE size", field, bytes));
      return std::nullopt;
    }
    return v;
  }

 private:
  const std::string& name_;
  std::optional<ParseError>& error_;
  bool done_ = false;
};

}  // namespace

std::vector<ImageWord> parse_image(std::istream& in, const std::string& name, unsigned word_bytes,
                                   std::optional<ParseError>& error) {
  LineReader r(name, error);
  std::vector<ImageWord> out;
  std::string text;
  for (unsigned line = 1;; ++line) {
    if (!r.next(in, line, text)) return {};
    if (r.done()) break;
    const auto f = fields_of(text);
    if (f.empty()) continue;
    if (f.size() != 2) {
      r.fail(line, fmt::format("expected 'ADDR VALUE', found {} fields", f.size()));
      return {};
    }
    auto addr = r.aligned_addr(line, f[0], word_bytes);
    auto value = addr ? r.word(line, f[1], word_bytes) : std::nullopt;
    if (!addr || !value) return {};
    out.push_back({*addr, *value, line});
  }
  return out;
}

namespace {

// Each parser fills q from one line's fields; false (the error recorded) when malformed.
bool parse_satp(LineReader& r, unsigned line, const std::vector<std::string>& f, Request& q) {
  if (f.size() != 2) return r.fail(line, "expected 'satp HEX'");
  auto v = r.hex(line, f[1], "satp");
  if (!v) return false;
  q.kind = Request::Kind::kSatp;
  q.a = *v;
  return true;
}

bool parse_sfence(LineReader& r, unsigned line, const std::vector<std::string>& f, Request& q) {
  if (f.size() != 3) return r.fail(line, "expected 'sfence VA|* ASID|*'");
  q.kind = Request::Kind::kSfence;
  if (f[1] != "*") {
    auto v = r.hex(line, f[1], "sfence address");
    if (!v) return false;
    q.a = *v;
    q.has_a = true;
  }
  if (f[2] != "*") {
    auto v = r.hex(line, f[2], "sfence ASID");
    if (!v) return false;
    if (*v > 0xffff) return r.fail(line, fmt::format("ASID '{}' is wider than 16 bits", quote_cut(f[2])));
    q.b = *v;
    q.has_b = true;
  }
  return true;
}

bool parse_mem(LineReader& r, unsigned line, const std::vector<std::string>& f, unsigned word_bytes,
               Request& q) {
  if (f.size() != 3) return r.fail(line, "expected 'mem ADDR VALUE'");
  auto addr = r.aligned_addr(line, f[1], word_bytes);
  auto value = addr ? r.word(line, f[2], word_bytes) : std::nullopt;
  if (!addr || !value) return false;
  q.kind = Request::Kind::kMem;
  q.a = *addr;
  q.b = *value;
  return true;
}

bool parse_control(LineReader& r, unsigned line, const std::vector<std::string>& f, Request& q) {
  q.kind = Request::Kind::kControl;
  if (f.size() < 2) return r.fail(line, "expected 'ctl' and at least one of sum=0|1, mxr=0|1, svadu=0|1");
  for (size_t i = 1; i < f.size(); ++i) {
    const size_t eq = f[i].find('=');
    const std::string name = f[i].substr(0, eq), value = eq == std::string::npos ? "" : f[i].substr(eq + 1);
    std::optional<bool>* bit = name == "sum"     ? &q.sum
                               : name == "mxr"   ? &q.mxr
                               : name == "svadu" ? &q.svadu
                                                 : nullptr;
    if (!bit) return r.fail(line, fmt::format("'{}' is not sum=, mxr= or svadu=", quote_cut(f[i])));
    if (value != "0" && value != "1")
      return r.fail(line, fmt::format("'{}': the value must be 0 or 1", quote_cut(f[i])));
    if (bit->has_value()) return r.fail(line, fmt::format("'{}' is given twice", name));
    *bit = value == "1";
  }
  return true;
}

bool parse_translate(LineReader& r, unsigned line, const std::vector<std::string>& f, Request& q) {
  if (f.size() != 3) {
    return r.fail(line, "expected 'VA r|w|x u|s', 'satp HEX', 'sfence VA|* ASID|*' or 'mem ADDR VALUE'");
  }
  auto va = r.hex(line, f[0], "virtual address");
  if (!va) return false;
  q.kind = Request::Kind::kTranslate;
  q.a = *va;
  if (f[1] == "r") {
    q.access = Access::kLoad;
  } else if (f[1] == "w") {
    q.access = Access::kStore;
  } else if (f[1] == "x") {
    q.access = Access::kFetch;
  } else {
    return r.fail(line, fmt::format("access '{}' is not r, w or x", quote_cut(f[1])));
  }
  if (f[2] == "u") {
    q.priv = Priv::kUser;
  } else if (f[2] == "s") {
    q.priv = Priv::kSupervisor;
  } else {
    return r.fail(line, fmt::format("privilege '{}' is not u or s", quote_cut(f[2])));
  }
  return true;
}

}  // namespace

std::vector<Request> parse_requests(std::istream& in, const std::string& name, unsigned word_bytes,
                                    std::optional<ParseError>& error) {
  LineReader r(name, error);
  std::vector<Request> out;
  std::string text;
  for (unsigned line = 1;; ++line) {
    if (!r.next(in, line, text)) return {};
    if (r.done()) break;
    const auto f = fields_of(text);
    if (f.empty()) continue;
    Request q;
    q.line = line;
    const bool ok = f[0] == "satp"     ? parse_satp(r, line, f, q)
                    : f[0] == "sfence" ? parse_sfence(r, line, f, q)
                    : f[0] == "mem"    ? parse_mem(r, line, f, word_bytes, q)
                    : f[0] == "ctl"    ? parse_control(r, line, f, q)
                                       : parse_translate(r, line, f, q);
    if (!ok) return {};
    out.push_back(q);
  }
  return out;
}

}  // namespace vmsim
