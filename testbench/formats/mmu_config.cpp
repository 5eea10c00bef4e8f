#include "testbench/formats/mmu_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testbench/formats/line_input.h"

namespace vmsim {

namespace {

using nlohmann::json;

constexpr unsigned kMaxEntries = 8192;
constexpr size_t kMaxFileBytes = 1 << 20;  // a configuration is a few hundred bytes

bool pow2(uint64_t n) {
  return n && (n & (n - 1)) == 0;
}

// The unsigned at obj[key], within [lo, hi]; `fallback` when absent.
std::optional<unsigned> get_unsigned(const json& obj, const std::string& where, const std::string& key,
                                     unsigned fallback, unsigned lo, unsigned hi, std::string& err) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj.at(key);
  if (!v.is_number_unsigned() || v.get<uint64_t>() < lo || v.get<uint64_t>() > hi) {
    err = fmt::format("{}{}: {} is not a whole number from {} to {}", where, key, v.dump(), lo, hi);
    return std::nullopt;
  }
  return unsigned(v.get<uint64_t>());
}

// obj["policy"] into `policy`, if given; false (with err) if it names none.
bool get_policy(const json& obj, const std::string& where, TlbPolicy& policy, std::string& err) {
  if (!obj.contains("policy")) return true;
  const json& p = obj.at("policy");
  const auto parsed = p.is_string() ? parse_tlb_policy(p.get<std::string>()) : std::nullopt;
  if (!parsed) {
    err = where + "policy: " + p.dump() + " is not \"plru\", \"lru\", \"fifo\" or \"random\"";
    return false;
  }
  policy = *parsed;
  return true;
}

std::string unknown_key(const json& obj, const std::string& where, std::initializer_list<const char*> known) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      return fmt::format("{}{}: unknown key (known: {})", where, it.key(), list);
    }
  }
  return "";
}

// One TLB's object under `key` ("l1_tlb", "l1_itlb", "l2_tlb"); the L2's
// may also give "latency" (into *latency).
std::optional<TlbGeometry> parse_tlb(const json& t, const std::string& key, unsigned* latency,
                                     std::string& err) {
  const std::string where = key + ".";
  if (!t.is_object()) {
    err = key + ": expected an object";
    return std::nullopt;
  }
  err = latency ? unknown_key(t, where, {"sets", "ways", "policy", "superpage_entries", "latency"})
                : unknown_key(t, where, {"sets", "ways", "policy", "superpage_entries"});
  if (!err.empty()) return std::nullopt;
  TlbGeometry g;
  const auto sets = get_unsigned(t, where, "sets", g.sets, 1, kMaxEntries, err);
  const auto ways = sets ? get_unsigned(t, where, "ways", g.ways, 1, kMaxEntries, err) : std::nullopt;
  const auto sup = ways ? get_unsigned(t, where, "superpage_entries", 0, 0, kMaxEntries, err) : std::nullopt;
  if (!sup) return std::nullopt;
  if (latency) {
    const auto lat = get_unsigned(t, where, "latency", *latency, 1, 255, err);
    if (!lat) return std::nullopt;
    *latency = *lat;
  }
  g.sets = *sets;
  g.ways = *ways;
  g.super_entries = *sup;
  if (!get_policy(t, where, g.policy, err)) return std::nullopt;
  if (!pow2(g.sets) || !pow2(g.ways) ||
      (g.super_entries && (g.super_entries < 2 || !pow2(g.super_entries)))) {
    err = key + ": sets, ways and superpage_entries must be powers of two (superpage_entries 0 or >= 2)";
  } else if (g.sets > 1 && g.super_entries == 0) {
    err = key + ": a set-associative TLB (sets > 1) needs a superpage array (superpage_entries >= 2)";
  } else if (g.entries() < 2 || g.entries() > kMaxEntries) {
    err = fmt::format("{}: {} entries in all; from 2 to {}", key, g.entries(), kMaxEntries);
  }
  if (!err.empty()) return std::nullopt;
  return g;
}

// "page_walk_caches": {"l1": {"entries": 16, "policy": "lru"}, "l2": ...}:
// one fully associative cache per level of pointers (l1..l4; RV32: l1).
constexpr unsigned kMaxPwcEntries = 256;
constexpr unsigned kMaxWalkers = 8,
                   kMaxSlots = 16;  // mmu_pkg::MAX_WALKERS, MAX_SLOTS (hw_contract.cpp checks)
bool parse_pwcs(const json& p, unsigned xlen, TlbHierarchy& h, std::string& err) {
  const std::string key = "page_walk_caches";
  if (!p.is_object()) {
    err = key + ": expected an object with l1 .. l4";
    return false;
  }
  if (err = unknown_key(p, key + ".", {"l1", "l2", "l3", "l4"}); !err.empty()) return false;
  for (unsigned l = 1; l <= kPwcLevels; ++l) {
    const std::string lk = fmt::format("l{}", l), where = key + "." + lk + ".";
    if (!p.contains(lk)) continue;
    const json& c = p.at(lk);
    if (!c.is_object()) {
      err = key + "." + lk + ": expected an object with entries and policy";
      return false;
    }
    if (xlen == 32 && l > 1) {
      err = key + "." + lk + ": Sv32 reads pointers at level 1 only";
      return false;
    }
    if (err = unknown_key(c, where, {"entries", "policy"}); !err.empty()) return false;
    const auto entries = get_unsigned(c, where, "entries", 0, 1, kMaxPwcEntries, err);
    if (!entries) return false;
    if (!pow2(*entries)) {
      err = fmt::format("{}entries: {} is not a power of two", where, *entries);
      return false;
    }
    PwcGeometry& g = h.pwc[l - 1];
    g.entries = *entries;
    if (!get_policy(c, where, g.policy, err)) return false;
  }
  return true;
}

// The hierarchy's keys: l1_tlb (required), l1_itlb, l2_tlb, page_walk_caches.
bool parse_hierarchy(const json& j, MmuConfig& c, std::string& err) {
  if (!j.contains("l1_tlb")) {
    err = "l1_tlb: missing (the L1 TLB's sets, ways, policy and superpage_entries)";
    return false;
  }
  const auto l1 = parse_tlb(j.at("l1_tlb"), "l1_tlb", nullptr, err);
  if (!l1) return false;
  c.tlb.l1 = *l1;
  if (j.contains("l1_itlb")) {
    c.tlb.l1i = parse_tlb(j.at("l1_itlb"), "l1_itlb", nullptr, err);
    if (!c.tlb.l1i) return false;
  }
  if (j.contains("l2_tlb")) {
    c.tlb.l2 = parse_tlb(j.at("l2_tlb"), "l2_tlb", &c.tlb.l2_latency, err);
    if (!c.tlb.l2) return false;
  }
  if (j.contains("page_walk_caches") && !parse_pwcs(j.at("page_walk_caches"), c.xlen, c.tlb, err))
    return false;
  // Outstanding translations: walkers, and slots (default: as many as walkers).
  const auto walkers = get_unsigned(j, "", "walkers", 1, 1, kMaxWalkers, err);
  if (!walkers) return false;
  const auto slots = get_unsigned(j, "", "slots", *walkers, 1, kMaxSlots, err);
  if (!slots) return false;
  if (*slots < *walkers) {
    err = fmt::format("slots: {} is fewer than the {} walkers (each walk needs a slot)", *slots, *walkers);
    return false;
  }
  c.tlb.walkers = *walkers;
  c.tlb.slots = *slots;
  return true;
}

std::optional<MmuConfig> parse_config(const json& j, const std::string& stem, std::string& err) {
  if (!j.is_object()) {
    err = "expected a JSON object";
    return std::nullopt;
  }
  if (err = unknown_key(j, "",
                        {"name", "description", "source", "xlen", "l1_tlb", "l1_itlb", "l2_tlb",
                         "page_walk_caches", "walkers", "slots"});
      !err.empty())
    return std::nullopt;
  MmuConfig c;
  // Without a "name", the file's stem, made plain ("my tlb" -> "my_tlb").
  c.name = stem.substr(0, 64);
  for (char& ch : c.name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') ch = '_';
  if (c.name.empty() || c.name[0] == '.') c.name = "config" + c.name;
  for (auto [key, field] :
       {std::pair{"name", &c.name}, {"description", &c.description}, {"source", &c.source}}) {
    if (!j.contains(key)) continue;
    if (!j.at(key).is_string()) {
      err = std::string(key) + ": expected a string";
      return std::nullopt;
    }
    *field = j.at(key).get<std::string>();
  }
  // The name becomes part of a cache directory's name: no path in it.
  const bool plain =
      !c.name.empty() && c.name.size() <= 64 && c.name[0] != '.' &&
      std::all_of(c.name.begin(), c.name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
      });
  if (!plain) {
    err = "name: \"" + c.name.substr(0, 64) +
          "\" must be 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'";
    return std::nullopt;
  }
  const auto xlen = get_unsigned(j, "", "xlen", 64, 32, 64, err);
  if (!xlen) return std::nullopt;
  if (*xlen != 32 && *xlen != 64) {
    err = fmt::format("xlen: {} is not 32 or 64", *xlen);
    return std::nullopt;
  }
  c.xlen = *xlen;
  if (!parse_hierarchy(j, c, err)) return std::nullopt;
  return c;
}

}  // namespace

namespace {
std::string canonical_tlb(const TlbGeometry& g) {
  return fmt::format("{}x{},{},{}", g.sets, g.ways, to_string(g.policy), g.super_entries);
}
}  // namespace

std::string MmuConfig::canonical() const {
  std::string s = fmt::format("xlen={} l1={}", xlen, canonical_tlb(tlb.l1));
  if (tlb.l1i) s += " l1i=" + canonical_tlb(*tlb.l1i);
  if (tlb.l2) s += fmt::format(" l2={},{}", canonical_tlb(*tlb.l2), tlb.l2_latency);
  for (unsigned l = 1; l <= kPwcLevels; ++l) {
    const PwcGeometry& p = tlb.pwc[l - 1];
    if (p.entries) s += fmt::format(" pwc{}={},{}", l, p.entries, to_string(p.policy));
  }
  if (tlb.walkers > 1 || tlb.slots > 1) s += fmt::format(" walkers={} slots={}", tlb.walkers, tlb.slots);
  return s;
}

std::optional<MmuConfig> load_mmu_config(const std::string& path, std::string& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = "cannot open configuration '" + path + "'";
    return std::nullopt;
  }
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), std::streamsize(text.size()));
  if (in.bad()) {
    err = path + ": read error";
    return std::nullopt;
  }
  text.resize(size_t(in.gcount()));
  if (text.size() > kMaxFileBytes) {
    err = path + ": larger than 1 MiB; not a configuration";
    return std::nullopt;
  }
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    const size_t at = std::min<size_t>(e.byte ? e.byte - 1 : 0, text.size());
    const auto line = 1 + std::count(text.begin(), text.begin() + ptrdiff_t(at), '\n');
    const std::string what = e.what();
    // nlohmann quotes the token it last read, which may be a whole line.
    err = fmt::format("{}:{}: not valid JSON ({})", path, line,
                      quote_cut(what.substr(what.find(' ') + 1), 200));
    return std::nullopt;
  } catch (const json::exception& e) {  // well-formed but unreadable: a number too large for any type
    err = fmt::format("{}: not valid JSON ({})", path, quote_cut(e.what(), 200));
    return std::nullopt;
  }
  auto c = parse_config(j, std::filesystem::path(path).stem().string(), err);
  if (!c) err = path + ": " + err;
  return c;
}

}  // namespace vmsim
