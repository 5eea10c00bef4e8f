// Trace input (testbench/formats/): lackey, ChampSim and vmsim's binary
// trace, plain or gzip/xz/zstd compressed, read as streams; and every way a
// file can be bad, each reported with the file and the line or record.
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <list>
#include <random>
#include <sstream>
#include <unordered_map>

#include "testbench/analysis/tlb_curve.h"
#include "testbench/formats/binary_trace.h"
#include "testbench/formats/lackey_trace.h"
#include "tests/sw/temp_file.h"

using namespace vmsim;

namespace {

using vmsim::test::temp_path;

const std::string kLackey =
    "==1== Lackey, an example Valgrind tool\n"
    "I  04000000,3\n"
    " L 7ff000ffc,8\n"  // crosses a page: two references
    " S 00601040,4\n"
    " M 00602000,8\n"  // load then store
    "\n"
    "I  04000003,5\r\n";  // CR LF

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string gzip(const std::string& s) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, s.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = uInt(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string xz(const std::string& s) {
  std::string out(lzma_stream_buffer_bound(s.size()), '\0');
  size_t pos = 0;
  REQUIRE(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(s.data()),
                                  s.size(), reinterpret_cast<uint8_t*>(out.data()), &pos,
                                  out.size()) == LZMA_OK);
  out.resize(pos);
  return out;
}

std::string zstd(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3);
  REQUIRE_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

struct ReadBack {
  std::vector<TraceRef> refs;
  std::string error;
  uint64_t lines = 0;
};

ReadBack read_all(const std::string& path, TraceFormat f = TraceFormat::kAuto) {
  ReadBack rb;
  auto r = open_trace(path, f, rb.error);
  if (!r) return rb;
  TraceRef block[3];  // small blocks: references of one line span reads
  while (const size_t k = r->read(block, 3)) rb.refs.insert(rb.refs.end(), block, block + k);
  rb.error = r->error();
  rb.lines = r->lines();
  return rb;
}

bool same(const std::vector<TraceRef>& a, const std::vector<TraceRef>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].addr != b[i].addr || a[i].access != b[i].access) return false;
  return true;
}

const std::vector<TraceRef> kExpected = {{0x4000000, Access::kFetch},  {0x7ff000ffc, Access::kLoad},
                                         {0x7ff001000, Access::kLoad}, {0x601040, Access::kStore},
                                         {0x602000, Access::kLoad},    {0x602000, Access::kStore},
                                         {0x4000003, Access::kFetch}};

}  // namespace

TEST_CASE("trace formats: a lackey trace reads the same plain, gzip, xz and zstd compressed",
          "[sw][trace_formats]") {
  for (auto [suffix, bytes] : {std::pair{"plain", kLackey},
                               {"gz", gzip(kLackey)},
                               {"xz", xz(kLackey)},
                               {"zst", zstd(kLackey)},
                               {"gzgz", gzip(kLackey) + gzip(kLackey)}}) {
    INFO(suffix);
    const std::string path = temp_path(std::string("lackey.") + suffix);
    write_file(path, bytes);
    const ReadBack rb = read_all(path);
    CHECK(rb.error.empty());
    if (std::string(suffix) == "gzgz") {  // concatenated members are one stream, as gzip -d reads them
      CHECK(rb.refs.size() == 2 * kExpected.size());
    } else {
      CHECK(same(rb.refs, kExpected));
      CHECK(rb.lines == 5);
    }
    std::filesystem::remove(path);
  }
}

TEST_CASE("trace formats: truncated or corrupt compressed data is an error, not an early end",
          "[sw][trace_formats]") {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += " L " + std::to_string(1000000 + i * 4096) + ",8\n";
  for (auto [name, bytes] : {std::pair{"gz", gzip(big)}, {"xz", xz(big)}, {"zst", zstd(big)}}) {
    INFO(name);
    const std::string path = temp_path(std::string("cut.") + name);
    write_file(path, bytes.substr(0, bytes.size() / 2));
    CHECK_THAT(read_all(path).error, Catch::Contains(path + ": truncated " + name));
    // gzip's deflate data has no check of its own: its CRC at the end finds
    // the damage. xz and zstd find it in the middle.
    std::string flipped = bytes;
    const size_t from = std::string(name) == "gz" ? bytes.size() - 8 : bytes.size() / 3;
    for (size_t i = from; i < from + 4; ++i) flipped[i] = char(~flipped[i]);
    write_file(path, flipped);
    CHECK_THAT(read_all(path).error, Catch::Contains(path + ": corrupt " + name));
    std::filesystem::remove(path);
  }
}

TEST_CASE("trace formats: a read error is reported, not taken for the end of the trace",
          "[sw][trace_formats]") {
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK_THAT(read_all(dir).error, Catch::Contains(dir + ": read error: Is a directory"));
  CHECK_THAT(read_all("/nonexistent/t.lackey").error, Catch::Contains("cannot open '/nonexistent/t.lackey'"));
}

TEST_CASE("trace formats: malformed lackey lines name the file and line", "[sw][trace_formats]") {
  const std::string path = temp_path("bad.lackey");
  for (auto [text, want] :
       {std::pair{"I  0400,4\n L 12g4,8\n", ":2: address is not a hex number"},
        {"I  0400,4\nX 1,1\n", ":2: expected 'I', ' L', ' S' or ' M'"},
        {" L 11112222333344445,8\n", ":1: address is not a hex number of at most 64 bits"},
        {" S ffffffffffffffff,2\n", ":1: access wraps around"},
        {" L 1000,0\n", ":1: size is not a positive decimal number"},
        {" L 1000\n", ":1: expected ADDRESS,SIZE"}}) {
    INFO(text);
    write_file(path, text);
    CHECK_THAT(read_all(path).error, Catch::Contains(path + want));
  }
  write_file(path, "I  0400,4\n" + std::string(100000, ' ') + "x\n");  // memory stays bounded
  CHECK_THAT(read_all(path).error, Catch::Contains(path + ":2: line longer than 4096 characters"));
  std::filesystem::remove(path);
}

TEST_CASE("trace formats: ChampSim records become a fetch, its loads, then its stores",
          "[sw][trace_formats]") {
  auto record = [](uint64_t ip, std::vector<uint64_t> dst, std::vector<uint64_t> src) {
    char r[64] = {};
    std::memcpy(r, &ip, 8);
    for (size_t i = 0; i < dst.size(); ++i) std::memcpy(r + 16 + 8 * i, &dst[i], 8);
    for (size_t i = 0; i < src.size(); ++i) std::memcpy(r + 32 + 8 * i, &src[i], 8);
    return std::string(r, 64);
  };
  const std::string bytes =
      record(0x401000, {}, {0x7fff0010, 0, 0x601000}) + record(0x401004, {0x602000}, {});
  const std::string path = temp_path("t.champsimtrace.xz");
  write_file(path, xz(bytes));
  const ReadBack rb = read_all(path);  // recognised by its name, decompressed by its magic
  CHECK(rb.error.empty());
  CHECK(rb.lines == 2);
  CHECK(same(rb.refs, {{0x401000, Access::kFetch},
                       {0x7fff0010, Access::kLoad},
                       {0x601000, Access::kLoad},
                       {0x401004, Access::kFetch},
                       {0x602000, Access::kStore}}));
  write_file(path, bytes + bytes.substr(0, 40));
  CHECK_THAT(read_all(path).error, Catch::Contains(path + ": record 3 is truncated (40 of 64 bytes)"));
  std::filesystem::remove(path);
}

TEST_CASE("trace formats: a binary trace holds the same references and its summary", "[sw][trace_formats]") {
  const std::string text = temp_path("rt.lackey"), bin = temp_path("rt.vtr");
  write_file(text, kLackey);
  std::string err;
  auto in = open_trace(text, TraceFormat::kAuto, err);
  REQUIRE(in);
  const auto written = write_binary_trace(*in, bin, err);
  REQUIRE(written);
  CHECK(written->references == kExpected.size());
  CHECK(written->distinct_pages == 5);  // the two fetches share a page
  const ReadBack rb = read_all(bin);
  CHECK(rb.error.empty());
  CHECK(same(rb.refs, kExpected));
  const auto declared = summarize_file(bin, TraceFormat::kAuto, err);
  auto text_reader = open_trace(text, TraceFormat::kAuto, err);
  const auto counted = summarize(*text_reader, err);
  REQUIRE(declared);
  REQUIRE(counted);
  CHECK(declared->references == counted->references);
  CHECK(declared->lines == counted->lines);
  CHECK(declared->distinct_pages == counted->distinct_pages);
  CHECK(declared->loads == counted->loads);
  CHECK(declared->stores == counted->stores);
  CHECK(declared->fetches == counted->fetches);

  // Each way the binary file can be bad.
  std::ifstream f(bin, std::ios::binary);
  const std::string good((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const std::string bad = temp_path("bad.vtr");
  write_file(bad, good.substr(0, good.size() - 3));
  CHECK_THAT(read_all(bad).error, Catch::Contains(bad + ": record 7 is truncated (5 of 8 bytes)"));
  write_file(bad, good.substr(0, good.size() - 8));
  CHECK_THAT(read_all(bad).error, Catch::Contains(bad + ": the header says 7 references but the file has 6"));
  std::string typed = good;
  typed[64 + 8 * 2 + 7] = char(0xc0);  // access type 3 in record 3
  write_file(bad, typed);
  CHECK_THAT(read_all(bad).error, Catch::Contains(bad + ": record 3: access type 3"));
  std::string counts = good;
  counts[16] = 99;  // references no longer the sum of loads, stores and fetches
  write_file(bad, counts);
  CHECK_THAT(read_all(bad).error, Catch::Contains(bad + ": corrupt vmsim trace header"));
  write_file(bad, good.substr(0, 20));
  CHECK_THAT(read_all(bad).error, Catch::Contains(bad + ": truncated vmsim trace header"));
  write_file(bad, "I  0400,4\n");
  CHECK_THAT(read_all(bad, TraceFormat::kVmsim).error, Catch::Contains("not a vmsim binary trace"));
  for (const auto& p : {text, bin, bad}) std::filesystem::remove(p);
}

TEST_CASE("trace formats: an address the binary format cannot hold is refused when writing",
          "[sw][trace_formats]") {
  const std::string text = temp_path("high.lackey"), bin = temp_path("high.vtr");
  write_file(text, " L 4000000000000000,8\n");
  std::string err;
  auto in = open_trace(text, TraceFormat::kAuto, err);
  CHECK_FALSE(write_binary_trace(*in, bin, err));
  CHECK_THAT(err, Catch::Contains("address 0x4000000000000000 is 2^62 or more"));
  CHECK_FALSE(std::filesystem::exists(bin));  // no partial file left behind
  std::filesystem::remove(text);
}

TEST_CASE("tlb curve: the streamed single pass equals separate LRU runs over a long trace, at 4 sizes",
          "[sw][tlb_curve]") {
  // Long enough that the stack-distance slots are renumbered many times.
  std::mt19937_64 rng(11);
  LruStackDistances one_pass;
  const std::vector<unsigned> sizes = {3, 64, 512, 2048};
  std::vector<std::list<uint64_t>> lru(sizes.size());
  std::vector<std::unordered_map<uint64_t, std::list<uint64_t>::iterator>> where(sizes.size());
  std::vector<uint64_t> misses(sizes.size(), 0);
  uint64_t hot = 0;
  for (int i = 0; i < 300000; ++i) {
    if (i % 5000 == 0) hot = rng() % 100000;
    const uint64_t page = rng() % 8 ? hot + rng() % 700 : rng() % 50000;
    one_pass.access(page);
    for (size_t s = 0; s < sizes.size(); ++s) {  // a plain LRU list of each size
      auto it = where[s].find(page);
      if (it != where[s].end()) {
        lru[s].erase(it->second);
      } else {
        ++misses[s];
        if (lru[s].size() == sizes[s]) {
          where[s].erase(lru[s].back());
          lru[s].pop_back();
        }
      }
      lru[s].push_front(page);
      where[s][page] = lru[s].begin();
    }
  }
  CHECK(one_pass.misses(sizes) == misses);
}
