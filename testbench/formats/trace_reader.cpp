#include "testbench/formats/trace_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "testbench/formats/binary_trace.h"
#include "testbench/formats/block_input.h"

namespace vmsim {

const char* to_string(TraceFormat f) {
  switch (f) {
    case TraceFormat::kLackey:
      return "lackey";
    case TraceFormat::kChampSim:
      return "champsim";
    case TraceFormat::kVmsim:
      return "vmsim";
    default:
      return "auto";
  }
}

std::optional<TraceFormat> parse_trace_format(const std::string& s) {
  for (TraceFormat f :
       {TraceFormat::kAuto, TraceFormat::kLackey, TraceFormat::kChampSim, TraceFormat::kVmsim})
    if (s == to_string(f)) return f;
  return std::nullopt;
}

size_t UnitReader::read(TraceRef* out, size_t n) {
  size_t k = 0;
  while (k < n) {
    if (unit_pos_ == unit_.size()) {
      unit_.clear();
      unit_pos_ = 0;
      if (!next_unit()) break;
      continue;
    }
    const size_t take = std::min(n - k, unit_.size() - unit_pos_);
    std::copy_n(unit_.begin() + ptrdiff_t(unit_pos_), take, out + k);
    unit_pos_ += take;
    k += take;
  }
  return k;
}

std::string describe(const TraceSummary& s) {
  return fmt::format("{} lines, {} references ({} loads, {} stores, {} fetches), {} distinct pages", s.lines,
                     s.references, s.loads, s.stores, s.fetches, s.distinct_pages);
}

namespace {

// ChampSim's trace record: an instruction and the memory it touches.
//   0 u64 ip, 8 u8 is_branch, 9 u8 branch_taken, 10 u8 dest_regs[2],
//   12 u8 src_regs[4], 16 u64 dest_mem[2], 32 u64 src_mem[4]
// Little-endian, read so on any host. Each becomes a fetch of ip, a load per non-zero source address, then a
// store per non-zero destination address, as ChampSim issues them.
class ChampSimReader final : public UnitReader {
 public:
  static constexpr size_t kRecord = 64;
  explicit ChampSimReader(BlockInput in) : in_(std::move(in)) {}
  TraceFormat format() const override { return TraceFormat::kChampSim; }
  uint64_t lines() const override { return records_; }
  std::string where() const override { return fmt::format("{}: record {}", in_.source().name(), records_); }

 private:
  bool next_unit() override {
    if (!error().empty()) return false;
    if (in_.want(kRecord) < kRecord) {
      if (!in_.source().error().empty()) {
        fail(in_.source().error());
      } else if (in_.avail() != 0) {
        fail(fmt::format("{}: record {} is truncated ({} of {} bytes)", in_.source().name(), records_ + 1,
                         in_.avail(), kRecord));
      }
      return false;
    }
    const char* r = in_.data();
    unit_.push_back({load_le64(r), Access::kFetch});
    for (int i = 0; i < 4; ++i)
      if (const uint64_t a = load_le64(r + 32 + 8 * i)) unit_.push_back({a, Access::kLoad});
    for (int i = 0; i < 2; ++i)
      if (const uint64_t a = load_le64(r + 16 + 8 * i)) unit_.push_back({a, Access::kStore});
    in_.consume(kRecord);
    ++records_;
    return true;
  }

  BlockInput in_;
  uint64_t records_ = 0;
};

bool has_binary_magic(BlockInput& in) {
  return in.want(8) >= 8 && std::memcmp(in.data(), kBinaryTraceMagic, 8) == 0;
}

}  // namespace

std::unique_ptr<TraceReader> champsim_reader(BlockInput in) {
  return std::make_unique<ChampSimReader>(std::move(in));
}

std::unique_ptr<TraceReader> open_trace(const std::string& path, TraceFormat format, std::string& err) {
  auto bytes = open_bytes(path, err);
  if (!bytes) return nullptr;
  BlockInput in(std::move(bytes));
  if (format == TraceFormat::kLackey) return lackey_reader(std::move(in));
  if (format == TraceFormat::kChampSim) return champsim_reader(std::move(in));
  if (has_binary_magic(in)) return binary_reader(std::move(in));
  if (!in.source().error().empty()) {
    err = in.source().error();
    return nullptr;
  }
  if (format == TraceFormat::kVmsim) {
    err = path + ": not a vmsim binary trace (no VMSIMTRC magic)";
    return nullptr;
  }
  if (path.find(".champsim") != std::string::npos) return champsim_reader(std::move(in));
  return lackey_reader(std::move(in));
}

std::optional<TraceSummary> summarize(TraceReader& r, std::string& err) {
  TraceSummary s;
  std::unordered_set<uint64_t> pages;
  std::vector<TraceRef> block(1 << 14);
  s.has_range = true;
  s.min_addr = UINT64_MAX;
  while (const size_t k = r.read(block.data(), block.size())) {
    for (size_t i = 0; i < k; ++i) {
      const TraceRef& ref = block[i];
      ++(ref.access == Access::kLoad ? s.loads : ref.access == Access::kStore ? s.stores : s.fetches);
      pages.insert(ref.addr >> kPageShift);
      s.min_addr = std::min(s.min_addr, ref.addr);
      s.max_addr = std::max(s.max_addr, ref.addr);
    }
    s.references += k;
  }
  if (!r.error().empty()) {
    err = r.error();
    return std::nullopt;
  }
  s.lines = r.lines();
  s.distinct_pages = pages.size();
  return s;
}

std::optional<TraceLocation> find_first_at_or_above(const std::string& path, TraceFormat format,
                                                    uint64_t limit) {
  std::string err;
  auto r = open_trace(path, format, err);
  if (!r) return std::nullopt;
  TraceRef ref;
  while (r->read(&ref, 1) == 1) {  // one at a time: where() then names this reference's line
    if (ref.addr >= limit) return TraceLocation{ref, r->where()};
  }
  return std::nullopt;
}

std::optional<TraceSummary> summarize_file(const std::string& path, TraceFormat format, std::string& err) {
  auto r = open_trace(path, format, err);
  if (!r) return std::nullopt;
  if (!r->error().empty()) {
    err = r->error();
    return std::nullopt;
  }
  if (auto declared = r->declared_summary()) return declared;
  return summarize(*r, err);
}

}  // namespace vmsim
