// byte_source.h: the bytes of an input file, decompressed if it is gzip, xz
// or zstd, read in blocks so memory stays constant however long the file is.
//
// The compression is recognised by the file's first bytes (its magic), not
// its name, so `trace.gz` renamed to `trace` still reads. Each block read
// either delivers bytes, reports the end, or reports an error: a read error
// of the file system or corrupt/truncated compressed data is an error that
// names the file, never a silent end of input.
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <string>

namespace vmsim {

enum class Compression { kNone, kGzip, kXz, kZstd };
const char* to_string(Compression c);

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `n` bytes into `buf`; 0 at the end of the input or on an error,
  // which error() then describes ("FILE: what is wrong").
  virtual size_t read(char* buf, size_t n) = 0;
  const std::string& error() const { return error_; }
  const std::string& what() const { return what_; }  // error() without the file's name
  const std::string& name() const { return name_; }
  virtual Compression compression() const { return Compression::kNone; }

 protected:
  explicit ByteSource(std::string name) : name_(std::move(name)) {}
  void fail(const std::string& what) {
    if (!error_.empty()) return;
    what_ = what;
    error_ = name_ + ": " + what;
  }

 private:
  std::string name_;
  std::string error_, what_;
};

// Opens `path` ("-" is standard input), decompressing as its magic says.
// nullptr, with `err` set, when it cannot be opened.
std::unique_ptr<ByteSource> open_bytes(const std::string& path, std::string& err);

// The bytes of a stream already open (tests, in-memory text); not decompressed.
std::unique_ptr<ByteSource> stream_bytes(std::istream& in, const std::string& name);

}  // namespace vmsim
