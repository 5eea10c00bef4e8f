#include "testbench/formats/byte_source.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace vmsim {

const char* to_string(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kXz:
      return "xz";
    case Compression::kZstd:
      return "zstd";
    default:
      return "none";
  }
}

namespace {

// The file itself. A read error is an error, not an end (fread returns
// short either way; ferror tells them apart). The first bytes, read to
// recognise the compression, are served again first.
class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* f, std::string name) : ByteSource(std::move(name)), f_(f) {}
  ~FileSource() override {
    if (f_ != stdin) std::fclose(f_);
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  size_t read(char* buf, size_t n) override {
    if (head_pos_ < head_.size()) {
      const size_t k = std::min(n, head_.size() - head_pos_);
      std::memcpy(buf, head_.data() + head_pos_, k);
      head_pos_ += k;
      return k;
    }
    const size_t got = std::fread(buf, 1, n, f_);
    if (got == 0 && std::ferror(f_)) fail(std::string("read error: ") + std::strerror(errno));
    return got;
  }
  // Reads up to `n` bytes to look at, to be served again by read().
  const std::vector<char>& peek(size_t n) {
    head_.resize(n);
    head_.resize(std::fread(head_.data(), 1, n, f_));
    return head_;
  }

 private:
  std::FILE* f_;
  std::vector<char> head_;
  size_t head_pos_ = 0;
};

// Compressed input: blocks of the file through a decoder. Subclasses say how
// one step of their library decodes.
class Decoder : public ByteSource {
 public:
  explicit Decoder(std::unique_ptr<FileSource> raw)
      : ByteSource(raw->name()), raw_(std::move(raw)), in_(kBlock) {}
  size_t read(char* buf, size_t n) override {
    size_t out = 0;
    while (out == 0 && !done_ && error().empty()) {
      if (in_pos_ == in_len_ && !in_eof_) refill();
      if (!error().empty()) break;
      size_t used = 0;
      out = step(in_.data() + in_pos_, in_len_ - in_pos_, in_eof_, buf, n, used);
      in_pos_ += used;
      if (out == 0 && used == 0 && in_pos_ == in_len_ && in_eof_ && !done_)
        fail(std::string("truncated ") + to_string(compression()) + " data");
    }
    return out;
  }

 protected:
  static constexpr size_t kBlock = 1 << 16;
  // Decodes from in[0..in_n) into out[0..out_n); sets `used` to the input
  // bytes consumed; returns the bytes produced. `last`: no input follows.
  // Calls finish() at the end of the data, fail() on corrupt data.
  virtual size_t step(const char* in, size_t in_n, bool last, char* out, size_t out_n, size_t& used) = 0;
  void finish() { done_ = true; }
  void corrupt(const std::string& detail) {
    fail(std::string("corrupt ") + to_string(compression()) + " data (" + detail + ")");
  }

 private:
  void refill() {
    in_len_ = raw_->read(in_.data(), kBlock);
    in_pos_ = 0;
    if (in_len_ == 0) {
      if (!raw_->error().empty()) fail(raw_->what());
      in_eof_ = true;
    }
  }

  std::unique_ptr<FileSource> raw_;
  std::vector<char> in_;
  size_t in_pos_ = 0, in_len_ = 0;
  bool in_eof_ = false, done_ = false;
};

// gzip (one or more members, as `cat a.gz b.gz` makes), through zlib.
class GzipSource final : public Decoder {
 public:
  explicit GzipSource(std::unique_ptr<FileSource> raw) : Decoder(std::move(raw)) {
    if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) fail("zlib cannot start");
  }
  ~GzipSource() override { inflateEnd(&z_); }
  Compression compression() const override { return Compression::kGzip; }

 private:
  size_t step(const char* in, size_t in_n, bool last, char* out, size_t out_n, size_t& used) override {
    if (member_ended_) {
      if (in_n == 0) {  // the end of the last member is the end of the file
        if (last) finish();
        return 0;
      }
      inflateReset(&z_);
      member_ended_ = false;
    }
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    z_.avail_in = uInt(in_n);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = uInt(out_n);
    const int rc = inflate(&z_, Z_NO_FLUSH);
    used = in_n - z_.avail_in;
    if (rc == Z_STREAM_END) {
      member_ended_ = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      corrupt(z_.msg ? z_.msg : "inflate error");
    }
    return out_n - z_.avail_out;
  }

  z_stream z_{};
  bool member_ended_ = false;
};

// xz (concatenated streams too), through liblzma. The decoder's memory is
// capped: a hostile header cannot make the host allocate gigabytes.
class XzSource final : public Decoder {
 public:
  static constexpr uint64_t kMemLimit = uint64_t{512} << 20;
  explicit XzSource(std::unique_ptr<FileSource> raw) : Decoder(std::move(raw)) {
    if (lzma_stream_decoder(&s_, kMemLimit, LZMA_CONCATENATED) != LZMA_OK) fail("liblzma cannot start");
  }
  ~XzSource() override { lzma_end(&s_); }
  Compression compression() const override { return Compression::kXz; }

 private:
  size_t step(const char* in, size_t in_n, bool last, char* out, size_t out_n, size_t& used) override {
    s_.next_in = reinterpret_cast<const uint8_t*>(in);
    s_.avail_in = in_n;
    s_.next_out = reinterpret_cast<uint8_t*>(out);
    s_.avail_out = out_n;
    const lzma_ret rc = lzma_code(&s_, last ? LZMA_FINISH : LZMA_RUN);
    used = in_n - s_.avail_in;
    if (rc == LZMA_STREAM_END) {
      finish();
    } else if (rc == LZMA_MEMLIMIT_ERROR) {
      corrupt("decoding needs more than 512 MiB");
    } else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
      corrupt("liblzma error " + std::to_string(int(rc)));
    }
    return out_n - s_.avail_out;
  }

  lzma_stream s_ = LZMA_STREAM_INIT;
};

// zstd (one or more frames), through libzstd, with its default window limit
// (128 MiB), which bounds the decoder's memory.
class ZstdSource final : public Decoder {
 public:
  explicit ZstdSource(std::unique_ptr<FileSource> raw) : Decoder(std::move(raw)), d_(ZSTD_createDStream()) {
    if (!d_) fail("libzstd cannot start");
  }
  ~ZstdSource() override { ZSTD_freeDStream(d_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;
  Compression compression() const override { return Compression::kZstd; }

 private:
  size_t step(const char* in, size_t in_n, bool last, char* out, size_t out_n, size_t& used) override {
    if (frame_ended_ && in_n == 0) {
      if (last) finish();
      return 0;
    }
    ZSTD_inBuffer ib{in, in_n, 0};
    ZSTD_outBuffer ob{out, out_n, 0};
    const size_t rc = ZSTD_decompressStream(d_, &ob, &ib);
    used = ib.pos;
    if (ZSTD_isError(rc)) {
      corrupt(ZSTD_getErrorName(rc));
    } else {
      frame_ended_ = rc == 0;
    }
    return ob.pos;
  }

  ZSTD_DStream* d_;
  bool frame_ended_ = true;  // an empty file is no frame, and no error
};

// The C++ stream's bytes, as they are.
class StreamSource final : public ByteSource {
 public:
  StreamSource(std::istream& in, std::string name) : ByteSource(std::move(name)), in_(in) {}
  size_t read(char* buf, size_t n) override {
    in_.read(buf, std::streamsize(n));
    if (in_.bad()) fail("read error");
    return size_t(in_.gcount());
  }

 private:
  std::istream& in_;
};

bool starts_with(const std::vector<char>& head, std::initializer_list<unsigned> magic) {
  if (head.size() < magic.size()) return false;
  size_t i = 0;
  for (unsigned b : magic)
    if (uint8_t(head[i++]) != b) return false;
  return true;
}

}  // namespace

std::unique_ptr<ByteSource> open_bytes(const std::string& path, std::string& err) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) {
    err = "cannot open '" + path + "': " + std::strerror(errno);
    return nullptr;
  }
  auto raw = std::make_unique<FileSource>(f, path == "-" ? "<stdin>" : path);
  const std::vector<char>& head = raw->peek(6);
  if (starts_with(head, {0x1f, 0x8b})) return std::make_unique<GzipSource>(std::move(raw));
  if (starts_with(head, {0xfd, '7', 'z', 'X', 'Z', 0x00})) return std::make_unique<XzSource>(std::move(raw));
  if (starts_with(head, {0x28, 0xb5, 0x2f, 0xfd})) return std::make_unique<ZstdSource>(std::move(raw));
  return raw;
}

std::unique_ptr<ByteSource> stream_bytes(std::istream& in, const std::string& name) {
  return std::make_unique<StreamSource>(in, name);
}

}  // namespace vmsim
