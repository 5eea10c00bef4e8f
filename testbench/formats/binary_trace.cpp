#include "testbench/formats/binary_trace.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace vmsim {

namespace {

constexpr uint64_t kAddrMask = (uint64_t{1} << 62) - 1;

uint32_t load_le32(const char* p) {
  return uint32_t(load_le64(p) & 0xffff'ffff);
}
void store_le64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = char(v >> (8 * i));
}

class BinaryReader final : public TraceReader {
 public:
  explicit BinaryReader(BlockInput in) : in_(std::move(in)) {
    if (in_.want(kBinaryTraceHeader) < kBinaryTraceHeader) {
      fail(fmt::format("{}: truncated vmsim trace header", in_.source().name()));
      return;
    }
    const char* h = in_.data();
    const uint32_t version = load_le32(h + 8), header = load_le32(h + 12);
    if (version != 1 || header != kBinaryTraceHeader) {
      fail(fmt::format(
          "{}: vmsim trace version {} with a {}-byte header; this vmsim reads version 1 (64 bytes)",
          in_.source().name(), version, header));
      return;
    }
    declared_.references = load_le64(h + 16);
    declared_.lines = load_le64(h + 24);
    declared_.distinct_pages = load_le64(h + 32);
    declared_.loads = load_le64(h + 40);
    declared_.stores = load_le64(h + 48);
    declared_.fetches = load_le64(h + 56);
    if (declared_.loads + declared_.stores + declared_.fetches != declared_.references ||
        declared_.distinct_pages > declared_.references) {
      fail(fmt::format("{}: corrupt vmsim trace header (its counts do not add up)", in_.source().name()));
      return;
    }
    in_.consume(kBinaryTraceHeader);
  }
  TraceFormat format() const override { return TraceFormat::kVmsim; }
  uint64_t lines() const override { return record_; }
  std::string where() const override { return fmt::format("{}: record {}", in_.source().name(), record_); }
  std::optional<TraceSummary> declared_summary() const override { return declared_; }

  size_t read(TraceRef* out, size_t n) override {
    if (!error().empty()) return 0;
    size_t k = 0;
    while (k < n) {
      const size_t avail = in_.want(8) / 8;
      if (avail == 0) {
        finish_check();
        break;
      }
      const size_t take = std::min(n - k, avail);
      const char* p = in_.data();
      for (size_t i = 0; i < take; ++i, p += 8) {
        const uint64_t w = load_le64(p);
        const unsigned a = unsigned(w >> 62);
        if (a == 3) {
          fail(fmt::format("{}: record {}: access type 3 is not load, store or fetch", in_.source().name(),
                           record_ + i + 1));
          return k + i;
        }
        out[k + i] = TraceRef{w & kAddrMask, Access(a)};
      }
      in_.consume(take * 8);
      record_ += take;
      k += take;
    }
    return k;
  }

 private:
  // At the end: the records must be as many as the header says, and whole.
  void finish_check() {
    const std::string& name = in_.source().name();
    if (!in_.source().error().empty()) {
      fail(in_.source().error());
    } else if (in_.avail() != 0) {
      fail(fmt::format("{}: record {} is truncated ({} of 8 bytes)", name, record_ + 1, in_.avail()));
    } else if (record_ != declared_.references) {
      fail(fmt::format("{}: the header says {} references but the file has {}", name, declared_.references,
                       record_));
    }
  }

  BlockInput in_;
  TraceSummary declared_;
  uint64_t record_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> binary_reader(BlockInput in) {
  return std::make_unique<BinaryReader>(std::move(in));
}

std::unique_ptr<BinaryTraceWriter> BinaryTraceWriter::create(const std::string& path, std::string& err) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    err = "cannot create '" + path + "': " + std::strerror(errno);
    return nullptr;
  }
  auto w = std::unique_ptr<BinaryTraceWriter>(new BinaryTraceWriter(f, path));
  const char zero[kBinaryTraceHeader] = {};
  if (!w->write(zero, sizeof zero)) {
    err = w->error();
    return nullptr;
  }
  return w;
}

BinaryTraceWriter::~BinaryTraceWriter() {
  if (f_) std::fclose(f_);
}

bool BinaryTraceWriter::write(const void* p, size_t n) {
  if (std::fwrite(p, 1, n, f_) != n) {
    if (error_.empty()) error_ = path_ + ": write failed: " + std::strerror(errno);
    return false;
  }
  return true;
}

bool BinaryTraceWriter::add(const TraceRef& r) {
  if (r.addr > kAddrMask) {
    if (error_.empty())
      error_ = fmt::format("{}: address 0x{:x} is 2^62 or more, which a vmsim binary trace cannot hold",
                           path_, r.addr);
    return false;
  }
  char rec[8];
  store_le64(rec, r.addr | (uint64_t(r.access) << 62));
  ++sum_.references;
  ++(r.access == Access::kLoad ? sum_.loads : r.access == Access::kStore ? sum_.stores : sum_.fetches);
  pages_.insert(r.addr >> kPageShift);
  sum_.distinct_pages = pages_.size();
  return write(rec, sizeof rec);
}

bool BinaryTraceWriter::finish(uint64_t lines) {
  sum_.lines = lines;
  char h[kBinaryTraceHeader] = {};
  std::memcpy(h, kBinaryTraceMagic, 8);
  store_le64(h + 8, 1 | (uint64_t{kBinaryTraceHeader} << 32));
  store_le64(h + 16, sum_.references);
  store_le64(h + 24, lines);
  store_le64(h + 32, pages_.size());
  store_le64(h + 40, sum_.loads);
  store_le64(h + 48, sum_.stores);
  store_le64(h + 56, sum_.fetches);
  if (std::fseek(f_, 0, SEEK_SET) != 0) {
    error_ = path_ + ": cannot seek back to write the header: " + std::strerror(errno);
    return false;
  }
  if (!write(h, sizeof h)) return false;
  const int rc = std::fclose(f_);
  f_ = nullptr;
  if (rc != 0) error_ = path_ + ": write failed: " + std::strerror(errno);
  return rc == 0;
}

std::optional<TraceSummary> write_binary_trace(TraceReader& in, const std::string& path, std::string& err) {
  auto w = BinaryTraceWriter::create(path, err);
  if (!w) return std::nullopt;
  std::vector<TraceRef> block(1 << 14);
  bool ok = true;
  while (ok) {
    const size_t k = in.read(block.data(), block.size());
    if (k == 0) break;
    for (size_t i = 0; i < k && ok; ++i) ok = w->add(block[i]);
  }
  if (ok && !in.error().empty()) {
    err = in.error();
    ok = false;
  } else if (!ok) {
    err = w->error();
  }
  if (ok && !w->finish(in.lines())) {
    err = w->error();
    ok = false;
  }
  if (!ok) {
    w.reset();
    std::remove(path.c_str());
    return std::nullopt;
  }
  return w->summary();
}

}  // namespace vmsim
