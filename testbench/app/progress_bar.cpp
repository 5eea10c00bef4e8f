#include "testbench/app/progress_bar.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace vmsim {

namespace {

std::string clock_text(double seconds) {
  const auto s = uint64_t(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

ProgressBar::ProgressBar(uint64_t total, std::string unit, bool enabled)
    : total_(total),
      unit_(std::move(unit)),
      enabled_(enabled && total > 0 && isatty(2)),
      start_(Clock::now()),
      last_(start_) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::finish() {
  if (shown_) std::fputs("\r\033[K", stderr);  // erase the bar
  shown_ = false;
  enabled_ = false;
}

void ProgressBar::update(uint64_t done) {
  if (!enabled_) return;
  if (done >= total_) return finish();
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 2.0 || now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double frac = std::min(1.0, double(done) / double(total_));
  constexpr int kWidth = 30;
  const int filled = int(frac * kWidth);
  const std::string bar = std::string(size_t(filled), '=') + (filled < kWidth ? ">" : "") +
                          std::string(size_t(kWidth - std::min(kWidth, filled + 1)), ' ');
  const std::string eta = frac > 0 ? clock_text(elapsed * (1 - frac) / frac) : "?";
  std::fprintf(stderr, "\r[%s] %3.0f%%  %llu/%llu %s  %s elapsed, ETA %s\033[K", bar.c_str(), 100 * frac,
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_), unit_.c_str(),
               clock_text(elapsed).c_str(), eta.c_str());
  std::fflush(stderr);
  shown_ = true;
}

}  // namespace vmsim
