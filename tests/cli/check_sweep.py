#!/usr/bin/env python3
"""check_sweep.py VMSIM WORKDIR

vmsim sweep and vmsim plot end to end, on 4 generated configurations (fully
associative LRU TLBs of 4, 8, 16 and 32 entries) x 3 traces x 2 memory
latencies (24 jobs):
  - a sweep killed midway (SIGKILL to its whole process group, as a lost
    session would) resumes when re-run: every job finishes exactly once, no
    finished job runs again, and results.csv has a row per job;
  - the Slurm script passes `bash -n`, and running its array tasks by hand
    (as Slurm would, one SLURM_ARRAY_TASK_ID each) then --collect gives the
    same figures as the local run;
  - a different sweep in the same directory is refused (exit 2);
  - vmsim plot draws the miss curve and the Pareto chart, and the RTL's
    misses at each of the 4 sizes equal the single-pass LRU curve's exactly
    (the traces are loads only, so no dirty-bit update adds a walk; the
    faulting walk of each first touch is taken off, as the plot does).
"""
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

JOBS = 24


def write_trace(path, pages, refs, seed):
    rng = random.Random(seed)
    with open(path, "w") as f:
        for _ in range(refs):
            page = rng.randrange(pages) if rng.random() < 0.2 else rng.randrange(pages // 8)
            f.write(f" L {0x10000000 + page * 4096 + 64:x},8\n")


def joblog_seqs(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [int(line.split("\t")[0]) for line in f if line[:1].isdigit()]


def rows(path):
    with open(path) as f:
        return {r["job"]: r for r in csv.DictReader(f)}


def check_plots(vmsim, env, out):
    for kind in ("curve", "pareto"):
        r = subprocess.run([vmsim, "plot", kind, out], env=env, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"vmsim plot {kind} exited {r.returncode}:\n{r.stdout}{r.stderr}")
        with open(os.path.join(out, f"{kind}.png"), "rb") as f:
            png = f.read()
        if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 10000:
            sys.exit(f"{kind}.png is not a PNG image of a plot")
    with open(os.path.join(out, "curve.json")) as f:
        curve = json.load(f)
    checked = 0
    for trace, d in curve.items():
        lru = dict(zip(d["sizes"], d["lru_misses"]))
        opt = dict(zip(d["sizes"], d["opt_misses"]))
        for p in d["points"]:
            if p["misses"] != lru[p["entries"]]:
                sys.exit(f"{trace}: the RTL's {p['geometry']} TLB missed {p['misses']} times, "
                         f"the one-pass LRU curve says {lru[p['entries']]}")
            if opt[p["entries"]] > p["misses"]:
                sys.exit(f"{trace}: OPT above LRU at {p['entries']} entries")
            checked += 1
    if checked != 12:
        sys.exit(f"checked {checked} points, wanted 12 (4 sizes x 3 traces)")
    with open(os.path.join(out, "pareto.json")) as f:
        pareto = json.load(f)
    if len(pareto["points"]) != 4 or not pareto["frontier"]:
        sys.exit(f"the Pareto chart should have 4 configurations and a frontier: {pareto}")


def main():
    vmsim, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    # vmsim's own cache of built configurations (VMSIM_CACHE_DIR, else the
    # build's config-cache/): make asan-quick names the Release build's, where
    # this test built its four configurations already, so it builds none.
    env = dict(os.environ)
    for i, pages in enumerate((64, 512, 4096)):
        write_trace(os.path.join(work, f"t{i}.lackey"), pages, 40000, i)
    sweep = {"traces": ["t0.lackey", "t1.lackey", "t2.lackey"],
             "generate": {"l1_tlb": {"ways": [4, 8, 16, 32], "policy": ["lru"]}},
             "options": {"--mem-latency": [20, 60]},
             "args": ["--harness", "plain"]}
    sweep_file = os.path.join(work, "sweep.json")
    with open(sweep_file, "w") as f:
        json.dump(sweep, f)
    out = os.path.join(work, "out")
    cmd = [vmsim, "sweep", sweep_file, "-o", out, "-j", "1"]

    # Build the configurations first (--no-run), so the kill lands among jobs.
    subprocess.run(cmd + ["--no-run"], env=env, check=True, capture_output=True)
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    log = os.path.join(out, "joblog")
    deadline = time.time() + 120
    while len(joblog_seqs(log)) < 3 and time.time() < deadline and p.poll() is None:
        time.sleep(0.05)
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    before = joblog_seqs(log)
    if not 3 <= len(before) < JOBS:
        sys.exit(f"the kill should land midway; {len(before)} of {JOBS} jobs had finished")
    again = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if again.returncode != 0:
        sys.exit(f"the resumed sweep exited {again.returncode}:\n{again.stdout}\n{again.stderr}")
    after = joblog_seqs(log)
    if sorted(after) != list(range(1, JOBS + 1)):
        sys.exit(f"each of the {JOBS} jobs should finish exactly once; the joblog has {sorted(after)}")
    local = rows(os.path.join(out, "results.csv"))
    if len(local) != JOBS or any(r["exit"] != "0" or r["check.mismatches"] != "0" for r in local.values()):
        bad = [r for r in local.values() if r["exit"] != "0" or r["check.mismatches"] != "0"]
        sys.exit(f"want {JOBS} passing rows; {len(local)} rows, these fail: {bad[:3]}")

    slurm = os.path.join(out, "sweep.slurm")
    subprocess.run(["bash", "-n", slurm], check=True)
    cluster = os.path.join(work, "cluster")
    subprocess.run([vmsim, "sweep", sweep_file, "-o", cluster, "--no-run"], env=env, check=True,
                   capture_output=True)
    for task in range(1, JOBS + 1):
        subprocess.run(["bash", os.path.join(cluster, "sweep.slurm")], check=True, capture_output=True,
                       env=dict(env, SLURM_ARRAY_TASK_ID=str(task)))
    subprocess.run([vmsim, "sweep", sweep_file, "-o", cluster, "--collect"], env=env, check=True,
                   capture_output=True)
    remote = rows(os.path.join(cluster, "results.csv"))
    for job, r in local.items():
        for key in ("config", "trace", "--mem-latency", "tlb.misses", "tlb.evictions", "walks.mean_cycles",
                    "faults.minor"):
            if remote[job][key] != r[key]:
                sys.exit(f"job {job}: {key} is {remote[job][key]} from the Slurm tasks, {r[key]} locally")

    check_plots(vmsim, env, out)

    sweep["options"]["--mem-latency"] = [30]
    with open(sweep_file, "w") as f:
        json.dump(sweep, f)
    other = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if other.returncode != 2 or "different sweep" not in other.stderr:
        sys.exit(f"a different sweep in the same directory should exit 2: {other.returncode} {other.stderr}")
    print(f"ok: killed after {len(before)} of {JOBS} jobs, resumed to {JOBS} exactly once each; "
          "the Slurm tasks give the same results; a different sweep is refused; the plots are drawn and "
          "the RTL's misses equal the one-pass LRU curve at 4 sizes")


if __name__ == "__main__":
    main()
