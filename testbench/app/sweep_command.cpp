// sweep_command.cpp: `vmsim sweep FILE -o DIR`, configurations x traces x
// options (sweep_plan.h), run as one job each through GNU parallel, and
// gathered into DIR/results.csv and DIR/results.json.
//
// DIR holds everything: jobs.txt (one shell command per job, the same a
// cluster runs), joblog (parallel's record of finished jobs), results/
// (each job's JSON report, and its stderr), sweep.slurm (a Slurm array
// script over jobs.txt). Re-running the same command resumes: jobs the
// joblog records as finished are not run again; a job cut off midway leaves
// no result file and runs again. Every configuration is built before the
// jobs start, so jobs only load it.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "testbench/app/commands.h"
#include "testbench/app/config_device.h"
#include "testbench/app/subprocess.h"
#include "testbench/app/sweep_results.h"

namespace vmsim {

namespace fs = std::filesystem;

namespace {

struct SweepOptions {
  std::string file, out;
  unsigned jobs = 0;  // 0: one per core
  bool quiet = false, fresh = false, no_run = false, collect_only = false;
};

// Single-quoted for the shell: the only character to escape is the quote.
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string job_command(const SweepPlan& plan, const SweepJob& job, const fs::path& dir) {
  const std::string res = job_result_stem(dir.string(), job.id);
  std::string cmd =
      fmt::format("{} trace {} --config {} --json", quote(fs::canonical("/proc/self/exe").string()),
                  quote(job.trace), quote(job.config));
  for (const auto& [axis, value] : job.options) cmd += " " + quote(axis) + " " + quote(value);
  for (const std::string& a : plan.args) cmd += " " + quote(a);
  // The result appears whole or not at all: written aside, moved when done.
  // The aside file is the shell's own ($$): GNU parallel runs each job in a
  // process group of its own, so a job of a sweep killed with SIGKILL lives
  // on and may finish while the resumed sweep runs it again; each writes its
  // own file and the last whole one to be moved stays.
  const std::string tmp = quote(res + ".json.tmp.") + "$$";
  return fmt::format("{} > {} 2> {}; s=$?; mv {} {}; exit $s", cmd, tmp, quote(res + ".err"), tmp,
                     quote(res + ".json"));
}

void write_slurm(const SweepOptions& o, const SweepPlan& plan, const fs::path& dir) {
  std::ofstream s(dir / "sweep.slurm");
  s << "#!/bin/bash\n"
    << "# A Slurm array over the sweep's jobs: task N runs line N of jobs.txt, the\n"
    << "# command a local run uses, and writes the same result file. Submit with\n"
    << "#   sbatch " << (dir / "sweep.slurm").string() << "\n"
    << "# (VMSIM_CACHE_DIR must name a directory every node sees, holding the\n"
    << "# configurations `vmsim sweep --no-run` built), then gather the results:\n"
    << "#   vmsim sweep " << fs::absolute(o.file).string() << " -o " << dir.string() << " --collect\n"
    << "#SBATCH --job-name=vmsim-sweep\n"
    << "#SBATCH --array=1-" << plan.jobs.size() << "\n"
    << "#SBATCH --cpus-per-task=1\n"
    << "#SBATCH --output=" << (dir / "slurm" / "%A_%a.out").string() << "\n"
    << "set -euo pipefail\n"
    << "line=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" " << quote((dir / "jobs.txt").string()) << ")\n"
    << "status=0\n"
    << "bash -c \"$line\" || status=$?\n"
    << "printf '%s\\t:\\t%s\\t0\\t0\\t0\\t%s\\t0\\t%s\\n' \"$SLURM_ARRAY_TASK_ID\" \"$(date +%s)\" "
       "\"$status\" "
       "\"slurm\" >> "
    << quote((dir / "joblog.slurm").string()) << "\n"
    << "exit $status\n";
}

// The sweep file, checked against what DIR already holds: a different sweep
// in the same directory would mix results.
int prepare(const SweepOptions& o, const SweepPlan& plan, const fs::path& dir) {
  const fs::path stamp = dir / "sweep.fingerprint";
  std::ifstream old(stamp);
  const std::string before((std::istreambuf_iterator<char>(old)), std::istreambuf_iterator<char>());
  if (!before.empty() && before != plan.fingerprint) {
    if (!o.fresh)
      return bad_usage(
          fmt::format("{} holds the results of a different sweep: use another -o, or --fresh to "
                      "start this one over there",
                      dir.string()));
  }
  if (o.fresh || before != plan.fingerprint) {
    fs::remove_all(dir / "results");
    fs::remove(dir / "joblog");
  }
  fs::create_directories(dir / "results");
  fs::create_directories(dir / "slurm");
  std::ofstream(stamp) << plan.fingerprint;
  std::ofstream jobs(dir / "jobs.txt");
  for (const SweepJob& job : plan.jobs) jobs << job_command(plan, job, dir) << "\n";
  write_slurm(o, plan, dir);
  return -1;
}

int run(const SweepOptions& o) {
  const fs::path dir = fs::absolute(o.out).lexically_normal();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return bad_usage(fmt::format("-o {}: {}", o.out, ec.message()));
  std::string err;
  const std::optional<SweepPlan> plan = load_sweep(o.file, dir.string(), err);
  if (!plan) return bad_usage(err);
  if (o.collect_only) {
    const SweepTally t = collect_sweep(*plan, dir.string());
    return t.failed || t.missing ? 1 : 0;
  }
  if (const int st = prepare(o, *plan, dir); st >= 0) return st;
  if (!on_path("parallel"))
    return bad_usage("GNU parallel is not installed (Debian: apt-get install parallel)");
  // Built once here, so no job waits on a build; --fast jobs read the
  // configuration files alone and need none.
  const bool fast = std::find(plan->args.begin(), plan->args.end(), "--fast") != plan->args.end();
  for (const std::string& c : fast ? std::vector<std::string>{} : plan->configs) {
    std::string device;
    if (const int st = device_for_config(c, device); st >= 0) return st;
  }
  std::cerr << fmt::format("vmsim sweep: {} jobs ({} configurations), in {}\n", plan->jobs.size(),
                           plan->configs.size(), dir.string());
  if (o.no_run) {
    std::cerr << fmt::format("vmsim sweep: not run (--no-run); the Slurm script is {}\n",
                             (dir / "sweep.slurm").string());
    return 0;
  }
  const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> argv = {"parallel", "--will-cite", "--joblog",          (dir / "joblog").string(),
                                   "--resume", "-j",          std::to_string(jobs)};
  if (!o.quiet && isatty(2)) argv.push_back("--bar");  // progress and ETA, on a terminal only
  argv.insert(argv.end(), {"::::", (dir / "jobs.txt").string()});
  const int st = run_program(argv);
  if (st < 0 || st == 127) return bad_usage("cannot run GNU parallel");
  const SweepTally t = collect_sweep(*plan, dir.string());
  std::cerr << fmt::format("vmsim sweep: {} jobs passed, {} failed, {} not run; {}\n", t.done, t.failed,
                           t.missing, (dir / "results.csv").string());
  return t.failed || t.missing ? 1 : 0;
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  auto o = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "run configurations x traces x options (a sweep file) through GNU parallel; resumable");
  cmd->add_option("FILE", o->file, "the sweep file (JSON; docs/research.md shows one)")->required();
  cmd->add_option("-o,--output", o->out, "the directory for the jobs, the joblog and the results")
      ->required();
  cmd->add_option("-j,--jobs", o->jobs, "jobs at once (default: one per core)")->check(CLI::Range(1u, 1024u));
  cmd->add_flag("--quiet", o->quiet, "no progress bar (there is none when stderr is not a terminal)");
  cmd->add_flag("--fresh", o->fresh, "start over in a directory that holds another sweep's results");
  cmd->add_flag("--no-run", o->no_run,
                "write the jobs and the Slurm script and build the configurations, but run nothing");
  cmd->add_flag("--collect", o->collect_only, "only gather the result files (after a cluster ran the jobs)");
  return {cmd, [o] { return run(*o); }};
}

}  // namespace vmsim
