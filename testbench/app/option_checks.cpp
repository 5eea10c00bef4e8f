#include "testbench/app/option_checks.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace vmsim {

CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        const size_t start = hex ? 2 : 0;
        const char* digits = hex ? "0123456789abcdefABCDEF" : "0123456789";
        if (s.size() == start || s.find_first_not_of(digits, start) != std::string::npos) {
          return fmt::format("'{}' is not a whole number (decimal, or hexadecimal with 0x)", s);
        }
        errno = 0;
        std::strtoull(s.c_str() + start, nullptr, hex ? 16 : 10);
        if (errno == ERANGE) return fmt::format("{} is above the largest allowed, 2^64 - 1", s);
        return "";
      },
      "WHOLE NUMBER");
}

CLI::Validator one_of(std::vector<std::string> words) {
  std::string list;
  for (const std::string& w : words) list += (list.empty() ? "" : " or ") + w;
  return CLI::Validator(
      [words, list](std::string& s) -> std::string {
        for (const std::string& w : words) {
          if (s == w) return "";
        }
        return fmt::format("'{}' is not {}", s, list);
      },
      list);
}

CLI::Validator finite_range(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || *end != '\0' || !std::isfinite(v))
          return fmt::format("'{}' is not a finite number", s);
        if (v < lo || v > hi) return fmt::format("{} is outside {} to {}", s, lo, hi);
        return "";
      },
      fmt::format("NUMBER in [{} - {}]", lo, hi));
}

}  // namespace vmsim
