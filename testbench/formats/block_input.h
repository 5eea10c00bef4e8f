// block_input.h: a ByteSource seen through a window of buffered bytes, the
// way the trace parsers read: look at the next bytes, consume what was
// parsed. The window holds what a caller asks for and no more, so memory is
// bounded by the longest record or line, not by the file.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "testbench/formats/byte_source.h"

namespace vmsim {

// The little-endian 64-bit word at `p`, on any host (the binary formats'
// byte order).
inline uint64_t load_le64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | uint8_t(p[i]);
  return v;
}

class BlockInput {
 public:
  static constexpr size_t kBlock = size_t{1} << 18;
  explicit BlockInput(std::unique_ptr<ByteSource> src) : src_(std::move(src)), buf_(kBlock) {}

  // Makes at least `n` bytes available at data(), unless the input ends
  // first (or fails: source().error()). Returns how many are available.
  size_t want(size_t n) {
    if (len_ - pos_ >= n || ended_) return len_ - pos_;
    if (pos_ > 0) {  // slide what is left to the front
      std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
      len_ -= pos_;
      pos_ = 0;
    }
    if (buf_.size() < n) buf_.resize(n);
    while (len_ < n || len_ < buf_.size() / 2) {
      const size_t got = src_->read(buf_.data() + len_, buf_.size() - len_);
      if (got == 0) {
        ended_ = true;
        break;
      }
      len_ += got;
    }
    return len_ - pos_;
  }
  const char* data() const { return buf_.data() + pos_; }
  size_t avail() const { return len_ - pos_; }
  void consume(size_t n) { pos_ += n; }
  bool ended() const { return ended_ && pos_ == len_; }
  const ByteSource& source() const { return *src_; }

 private:
  std::unique_ptr<ByteSource> src_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  bool ended_ = false;
};

}  // namespace vmsim
