// progress_bar.h: a progress bar with an ETA on stderr, for runs long enough
// to wonder about. It appears only when stderr is a terminal, only after the
// first two seconds (a short run prints nothing), and at most five times a
// second; it erases itself when the run ends, so reports stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace vmsim {

class ProgressBar {
 public:
  // `total` units of work, named `unit` ("references"); `enabled` false
  // (--quiet) keeps it silent.
  ProgressBar(uint64_t total, std::string unit, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  // `done` units so far; the total ends the bar (it is erased).
  void update(uint64_t done);
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  uint64_t total_;
  std::string unit_;
  bool enabled_, shown_ = false;
  Clock::time_point start_, last_;
};

}  // namespace vmsim
