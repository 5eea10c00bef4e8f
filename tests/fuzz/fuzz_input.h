// fuzz_input.h: reading a fuzzer's bytes as a sequence of choices.
//
// Every target turns libFuzzer's byte string into operations through this
// class: each call takes the next bytes, and once they run out every call
// answers 0, so any byte string is a valid program and a short one a short
// program. Small changes to the bytes make small changes to the program,
// which is what lets coverage-guided mutation climb.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace vmsim::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}

  bool empty() const { return p_ == end_; }
  size_t left() const { return size_t(end_ - p_); }
  uint8_t u8() { return p_ == end_ ? 0 : *p_++; }
  uint16_t u16() { return uint16_t(u8() | (u8() << 8)); }
  uint32_t u32() { return uint32_t(u16()) | (uint32_t(u16()) << 16); }
  uint64_t u64() { return uint64_t(u32()) | (uint64_t(u32()) << 32); }
  bool flag() { return u8() & 1; }
  // A value in [lo, hi]; hi >= lo.
  uint64_t in_range(uint64_t lo, uint64_t hi) {
    const uint64_t span = hi - lo;
    const uint64_t raw = span < 0x100                 ? u8()
                         : span < 0x10000             ? u16()
                         : span < (uint64_t{1} << 32) ? u32()
                                                      : u64();
    return span == UINT64_MAX ? raw : lo + raw % (span + 1);
  }
  // The rest of the bytes, as text.
  std::string rest() {
    std::string s(reinterpret_cast<const char*>(p_), left());
    p_ = end_;
    return s;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

}  // namespace vmsim::fuzz
