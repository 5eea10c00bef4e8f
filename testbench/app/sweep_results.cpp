#include "testbench/app/sweep_results.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace vmsim {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Exit status of each finished job, from GNU parallel's joblog, or the one
// the Slurm script appends to in the same columns (Seq is the job's line in
// jobs.txt). Absent: the job has not finished.
void read_joblog(const fs::path& log, std::map<unsigned, int>& status) {
  std::ifstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Seq", 0) == 0) continue;  // the header
    std::istringstream f(line);
    std::vector<std::string> cols;
    for (std::string c; std::getline(f, c, '\t');) cols.push_back(c);
    if (cols.size() < 8) continue;
    try {
      const int exitval = std::stoi(cols[6]), signal = std::stoi(cols[7]);
      status[unsigned(std::stoul(cols[0]))] = signal ? 128 + signal : exitval;
    } catch (const std::exception&) {
      continue;  // a line cut short by an interruption
    }
  }
}

std::string csv_field(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

namespace {

// A job's figures: every scalar of its JSON report (nothing when it wrote
// none, or a failed job wrote no JSON: its .err file says why).
void add_figures(const fs::path& result, json& row, std::set<std::string>& figures) {
  std::ifstream in(result);
  if (!in) return;
  json r;
  try {
    r = json::parse(in);
  } catch (const json::exception&) {  // not a report (a syntax error, a number too large): no figures
    return;
  }
  if (!r.is_object()) return;
  for (auto it = r.begin(); it != r.end(); ++it) {
    if (it.value().is_structured()) continue;
    row[it.key()] = it.value();
    figures.insert(it.key());
  }
}

void write_csv(const fs::path& path, const std::vector<std::string>& cols, const json& rows) {
  std::ofstream csv(path);
  for (size_t i = 0; i < cols.size(); ++i) csv << (i ? "," : "") << csv_field(cols[i]);
  csv << "\n";
  for (const json& row : rows) {
    for (size_t i = 0; i < cols.size(); ++i)
      csv << (i ? "," : "") << (row.contains(cols[i]) ? csv_field(row[cols[i]]) : "");
    csv << "\n";
  }
}

void print_table(const json& rows) {
  std::cout << fmt::format("{:>5} {:<22} {:<22} {:>5} {:>12} {:>10} {:>12}\n", "job", "config", "trace",
                           "exit", "TLB misses", "per 1,000", "walk cycles");
  for (const json& row : rows) {
    auto fig = [&](const char* k) {
      if (!row.contains(k)) return std::string("-");
      return row[k].is_number_float() ? fmt::format("{:.2f}", row[k].get<double>()) : row[k].dump();
    };
    std::cout << fmt::format("{:>5} {:<22} {:<22} {:>5} {:>12} {:>10} {:>12}\n", row["job"].dump(),
                             row["config"].get<std::string>(), row["trace"].get<std::string>(),
                             row["exit"].is_null() ? "-" : row["exit"].dump(), fig("tlb.misses"),
                             fig("tlb.misses_per_1k"), fig("walks.mean_cycles"));
  }
}

}  // namespace

SweepTally collect_sweep(const SweepPlan& plan, const std::string& dir) {
  const fs::path root = dir;
  std::map<unsigned, int> status;
  read_joblog(root / "joblog", status);
  read_joblog(root / "joblog.slurm", status);
  SweepTally tally;
  json rows = json::array();
  std::set<std::string> figures;
  for (const SweepJob& job : plan.jobs) {
    json row = {{"job", job.id},
                {"config", job.config_name},
                {"trace", fs::path(job.trace).filename().string()},
                {"trace_path", job.trace}};
    for (const auto& [axis, value] : job.options) row[axis] = value;
    const auto st = status.find(job.id);
    row["exit"] = st == status.end() ? json(nullptr) : json(st->second);
    if (st == status.end()) {
      ++tally.missing;
    } else {
      ++(st->second == 0 ? tally.done : tally.failed);
      add_figures(job_result_stem(dir, job.id) + ".json", row, figures);
    }
    rows.push_back(row);
  }
  std::ofstream(root / "results.json") << rows.dump(2) << "\n";
  std::vector<std::string> cols = {"job", "config", "trace", "trace_path"};
  cols.insert(cols.end(), plan.axes.begin(), plan.axes.end());
  cols.push_back("exit");
  cols.insert(cols.end(), figures.begin(), figures.end());
  write_csv(root / "results.csv", cols, rows);
  print_table(rows);
  return tally;
}

}  // namespace vmsim
