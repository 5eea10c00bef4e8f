#include "model/devices/rtl_messages.h"

#include <cstdarg>
#include <cstdio>

namespace {
std::string& pending() {
  static std::string text;
  return text;
}
constexpr size_t kKeep = 64 * 1024;
}  // namespace

void vmsim_vl_printf(const char* format, ...) {
  va_list args, again;
  va_start(args, format);
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string text(n > 0 ? size_t(n) : 0, '\0');
  if (n > 0) std::vsnprintf(text.data(), text.size() + 1, format, again);
  va_end(again);
  std::fputs(text.c_str(), stderr);
  std::string& p = pending();
  p += text;
  if (p.size() > kKeep) p.erase(0, p.size() - kKeep);
}

namespace vmsim {
std::string take_rtl_messages() {
  std::string out;
  out.swap(pending());
  return out;
}
}  // namespace vmsim
