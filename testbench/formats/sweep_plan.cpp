#include "testbench/formats/sweep_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "testbench/formats/line_input.h"
#include "testbench/formats/mmu_config.h"

namespace vmsim {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kMaxJobs = 100'000;

// a * b, or kMaxJobs + 1 when that is more than kMaxJobs (or overflows): a
// count over the limit is refused before anything is made of it.
size_t capped_product(size_t a, size_t b) {
  size_t r = 0;
  return __builtin_mul_overflow(a, b, &r) || r > kMaxJobs ? kMaxJobs + 1 : r;
}

// A JSON list of strings or numbers as strings; nullopt when it is not one.
std::optional<std::vector<std::string>> string_list(const json& v) {
  if (!v.is_array() || v.empty()) return std::nullopt;
  std::vector<std::string> out;
  for (const json& e : v) {
    if (e.is_string()) {
      out.push_back(e.get<std::string>());
    } else if (e.is_number()) {
      out.push_back(e.dump());
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// A value as it appears in a generated configuration's file name: what the
// sweep file wrote (a string's text, a number's digits), with anything but
// letters, digits, '-' and '_' as '_', so no value can name another
// directory. Whether the value is valid is load_mmu_config's to say.
std::string name_part(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  for (char& ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') ch = '_';
  }
  return s.substr(0, 40);
}

// A generated configuration's name: each TLB's parameters, short
// ("g-16x4-plru-s8", "...-i1x8-lru-s0", "...-l2-128x8-lru-s16-9c").
std::string generated_name(const json& c) {
  auto part = [](const json& t) {
    return fmt::format("{}x{}-{}-s{}", name_part(t.value("sets", json(1))),
                       name_part(t.value("ways", json(16))), name_part(t.value("policy", json("plru"))),
                       name_part(t.value("superpage_entries", json(0))));
  };
  std::string name = "g-" + part(c["l1_tlb"]);
  if (c.contains("l1_itlb")) name += "-i" + part(c["l1_itlb"]);
  if (c.contains("l2_tlb"))
    name += "-l2-" + part(c["l2_tlb"]) + "-" + name_part(c["l2_tlb"].value("latency", json(2))) + "c";
  if (c.contains("page_walk_caches")) {
    for (auto it = c["page_walk_caches"].begin(); it != c["page_walk_caches"].end(); ++it) {
      name +=
          fmt::format("-pwc{}-{}-{}", name_part(it.key().empty() ? it.key() : it.key().substr(1)),
                      name_part(it->value("entries", json(0))), name_part(it->value("policy", json("plru"))));
    }
  }
  return name;
}

// The lists under generate.page_walk_caches: { "l1": { "entries": [...],
// "policy": [...] }, ... }, as axes at /page_walk_caches/lN/KEY.
bool pwc_axes(const json& p, std::vector<std::pair<std::string, json>>& out, std::string& err) {
  for (auto lv = p.begin(); lv != p.end(); ++lv) {
    const bool level = lv.key() == "l1" || lv.key() == "l2" || lv.key() == "l3" || lv.key() == "l4";
    if (!level || !lv->is_object()) {
      err = "generate.page_walk_caches." + lv.key() + ": expected l1 .. l4, each an object of lists";
      return false;
    }
    for (auto f = lv->begin(); f != lv->end(); ++f) {
      if (f.key() != "entries" && f.key() != "policy") {
        err =
            "generate.page_walk_caches." + lv.key() + "." + f.key() + ": cannot be listed (entries, policy)";
        return false;
      }
      out.push_back({"/page_walk_caches/" + lv.key() + "/" + f.key(), *f});
    }
  }
  return true;
}

struct Axis {
  std::string at;  // a JSON pointer into the configuration
  std::vector<json> values;
};

// One axis per list under generate's TLBs and page-walk caches.
bool collect_axes(const json& gen, std::vector<Axis>& axes, std::string& err) {
  for (auto it = gen.begin(); it != gen.end(); ++it) {
    const std::string& tlb = it.key();
    std::vector<std::pair<std::string, json>> lists;  // pointer, list
    if (tlb == "page_walk_caches" && it->is_object()) {
      if (!pwc_axes(*it, lists, err)) return false;
    } else if ((tlb != "l1_tlb" && tlb != "l1_itlb" && tlb != "l2_tlb") || !it->is_object()) {
      err = "generate." + tlb +
            ": expected l1_tlb, l1_itlb, l2_tlb or page_walk_caches, each an object of lists";
      return false;
    }
    for (auto f = it->begin(); tlb != "page_walk_caches" && f != it->end(); ++f) {
      const bool known = f.key() == "sets" || f.key() == "ways" || f.key() == "policy" ||
                         f.key() == "superpage_entries" || (tlb == "l2_tlb" && f.key() == "latency");
      if (!known) {
        err = fmt::format("generate.{}.{}: cannot be listed (sets, ways, policy, superpage_entries{})", tlb,
                          f.key(), tlb == "l2_tlb" ? ", latency" : "");
        return false;
      }
      lists.push_back({"/" + tlb + "/" + f.key(), *f});
    }
    for (auto& [at, list] : lists) {
      if (!list.is_array() || list.empty()) {
        std::string dotted = at;
        std::replace(dotted.begin(), dotted.end(), '/', '.');
        err = "generate" + dotted + ": expected a non-empty list";
        return false;
      }
      axes.push_back({at, std::vector<json>(list.begin(), list.end())});
    }
  }
  return true;
}

// Every combination of the lists under generate's TLBs (l1_tlb, and
// l1_itlb and l2_tlb if given), as configuration files.
bool generate_configs(const json& gen, const fs::path& out, std::vector<std::string>& configs,
                      std::string& err) {
  if (!gen.is_object() || !gen.contains("l1_tlb")) {
    err = "generate: expected { \"l1_tlb\": { \"sets\": [...], \"ways\": [...], ... }, \"l2_tlb\": { ... } }";
    return false;
  }
  std::vector<Axis> axes;
  if (!collect_axes(gen, axes, err)) return false;
  size_t combos = 1;  // counted before any file is written
  for (const Axis& a : axes) combos = capped_product(combos, a.values.size());
  if (combos > kMaxJobs) {
    err = fmt::format("generate: more than {} configurations; a sweep may have at most {} jobs", kMaxJobs,
                      kMaxJobs);
    return false;
  }
  fs::create_directories(out / "configs");
  std::vector<size_t> at(axes.size(), 0);
  for (;;) {
    json c = json::object();
    for (auto it = gen.begin(); it != gen.end(); ++it) c[it.key()] = json::object();
    for (size_t i = 0; i < axes.size(); ++i) c[json::json_pointer(axes[i].at)] = axes[i].values[at[i]];
    const std::string name = generated_name(c);
    c["name"] = name;
    c["source"] = "generated by vmsim sweep from the sweep file's generate section";
    const fs::path file = out / "configs" / (name + ".json");
    std::ofstream(file) << c.dump(2) << "\n";
    std::string cerr;
    if (!load_mmu_config(file.string(), cerr)) {  // the same rules as a hand-written file
      err = "generate: " + cerr;
      return false;
    }
    configs.push_back(file.string());
    size_t i = 0;
    for (; i < axes.size() && ++at[i] == axes[i].values.size(); ++i) at[i] = 0;
    if (i == axes.size()) break;
  }
  return true;
}

// The option axes: { "--name": [values], ... }, in the file's order.
bool read_axes(const json& j, SweepPlan& p, std::vector<std::vector<std::string>>& values, std::string& err) {
  if (!j.contains("options")) return true;
  if (!j["options"].is_object()) {
    err = "options: expected { \"--option\": [values], ... }";
    return false;
  }
  for (auto it = j["options"].begin(); it != j["options"].end(); ++it) {
    const auto v = string_list(it.value());
    if (it.key().rfind("--", 0) != 0 || !v) {
      err = "options." + it.key() + ": expected an option (--name) with a non-empty list of values";
      return false;
    }
    p.axes.push_back(it.key());
    values.push_back(*v);
  }
  return true;
}

// Every configuration x trace x combination of option values, in order.
bool make_jobs(SweepPlan& p, const std::vector<std::string>& traces,
               const std::vector<std::vector<std::string>>& values, std::string& err) {
  size_t combos = 1;
  for (const auto& v : values) combos = capped_product(combos, v.size());
  const size_t jobs = capped_product(capped_product(p.configs.size(), traces.size()), combos);
  if (jobs > kMaxJobs) {
    err = fmt::format("more than {} jobs; a sweep may have at most {}", kMaxJobs, kMaxJobs);
    return false;
  }
  for (const std::string& c : p.configs) {
    const auto cfg = load_mmu_config(c, err);
    if (!cfg) return false;
    for (const std::string& t : traces) {
      if (!fs::exists(t)) {
        err = "trace '" + t + "' does not exist";
        return false;
      }
      for (size_t k = 0; k < combos; ++k) {
        SweepJob job{unsigned(p.jobs.size() + 1), c, cfg->name, t, {}};
        for (size_t a = 0, rest = k; a < values.size(); rest /= values[a].size(), ++a)
          job.options.emplace_back(p.axes[a], values[a][rest % values[a].size()]);
        p.jobs.push_back(job);
      }
    }
  }
  return true;
}

std::optional<SweepPlan> expand(const json& j, const fs::path& base, const fs::path& out, std::string& err) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "traces" && it.key() != "configs" && it.key() != "generate" && it.key() != "options" &&
        it.key() != "args") {
      err = it.key() + ": unknown key (known: traces, configs, generate, options, args)";
      return std::nullopt;
    }
  }
  SweepPlan p;
  auto resolve = [&](const std::string& f) { return fs::absolute(base / f).lexically_normal().string(); };
  auto list = [&](const char* key, const char* what, std::vector<std::string>& into) {
    if (!j.contains(key)) return true;
    const auto l = string_list(j[key]);
    if (!l) err = fmt::format("{}: expected a non-empty list of {}", key, what);
    if (l) into = *l;
    return bool(l);
  };
  std::vector<std::string> traces, configs;
  if (!list("traces", "trace files", traces) || !list("configs", "configuration files", configs) ||
      !list("args", "arguments", p.args))
    return std::nullopt;
  if (traces.empty()) {
    err = "traces: expected a non-empty list of trace files";
    return std::nullopt;
  }
  for (std::string& t : traces) t = resolve(t);
  for (const std::string& c : configs) p.configs.push_back(resolve(c));
  if (j.contains("generate") && !generate_configs(j["generate"], out, p.configs, err)) return std::nullopt;
  if (p.configs.empty()) {
    err = "no configurations: give \"configs\", \"generate\" or both";
    return std::nullopt;
  }
  std::vector<std::vector<std::string>> values;
  if (!read_axes(j, p, values, err) || !make_jobs(p, traces, values, err)) return std::nullopt;
  json fp = json::array();
  for (const SweepJob& job : p.jobs) fp.push_back({job.config, job.trace, job.options});
  p.fingerprint = json{{"jobs", fp}, {"args", p.args}}.dump();
  return p;
}

}  // namespace

std::string job_result_stem(const std::string& dir, unsigned id) {
  return (fs::path(dir) / "results" / fmt::format("{:04}", id)).string();
}

std::optional<SweepPlan> load_sweep(const std::string& path, const std::string& out_dir, std::string& err) {
  std::ifstream in(path);
  if (!in) {
    err = "cannot open sweep file '" + path + "'";
    return std::nullopt;
  }
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {  // a syntax error, or a number too large for any type
    err =
        fmt::format("{}: not valid JSON ({})", path, quote_cut(e.what(), 200));  // e.what() quotes the token
    return std::nullopt;
  }
  if (!j.is_object()) {
    err = path + ": expected a JSON object";
    return std::nullopt;
  }
  std::optional<SweepPlan> plan;
  try {
    plan = expand(j, fs::path(path).parent_path(), out_dir, err);
  } catch (const json::exception& e) {  // a value of a type no check above expected
    err = quote_cut(e.what(), 200);
  }
  if (!plan) err = path + ": " + err;
  return plan;
}

}  // namespace vmsim
