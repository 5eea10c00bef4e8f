#!/usr/bin/env python3
"""Runs vmsim's libFuzzer targets (make fuzz) and reports each one's figures.

    scripts/fuzz.py --dir build-fuzz --seconds 600 --jobs 2 TARGET...

Each target runs for --seconds on its seed corpus (tests/fuzz/corpus/TARGET,
read only) and a working corpus (DIR/corpus/TARGET, where new inputs go),
with a 2 GiB memory limit and a 10 s limit per input: an input over either is
a finding too. Findings are written to DIR/findings/. Prints, per target,
executions, executions per second, corpus size and peak memory; exits 1 if
any target found something, 2 on a usage error.
"""
import argparse
import concurrent.futures
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run(build: pathlib.Path, target: str, seconds: int) -> dict:
    exe = build / "fuzz" / f"fuzz_{target}"
    seeds = ROOT / "tests" / "fuzz" / "corpus" / target
    work = build / "corpus" / target
    findings = build / "findings"
    work.mkdir(parents=True, exist_ok=True)
    findings.mkdir(parents=True, exist_ok=True)
    log = build / f"fuzz-{target}.log"
    cmd = [str(exe), f"-max_total_time={seconds}", "-rss_limit_mb=2048", "-timeout=10",
           "-print_final_stats=1", f"-artifact_prefix={findings}/{target}-", str(work), str(seeds)]
    with open(log, "w") as out:
        rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT).returncode
    text = log.read_text(errors="replace")
    stat = dict(re.findall(r"^stat::(\w+):\s+(\d+)", text, re.M))
    corpus = sum(1 for f in work.iterdir() if f.is_file())
    return {"target": target, "rc": rc, "runs": int(stat.get("number_of_executed_units", 0)),
            "per_s": int(stat.get("average_exec_per_sec", 0)), "new": int(stat.get("new_units_added", 0)),
            "rss": int(stat.get("peak_rss_mb", 0)), "corpus": corpus,
            "seeds": sum(1 for f in seeds.iterdir() if f.is_file()), "log": str(log)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="build-fuzz", type=pathlib.Path)
    ap.add_argument("--seconds", default=600, type=int)
    ap.add_argument("--jobs", default=2, type=int)
    ap.add_argument("targets", nargs="+")
    a = ap.parse_args()
    if a.seconds < 1 or a.jobs < 1:
        print("fuzz.py: --seconds and --jobs must be at least 1", file=sys.stderr)
        return 2
    for t in a.targets:
        if not (a.dir / "fuzz" / f"fuzz_{t}").exists():
            print(f"fuzz.py: no target {t} in {a.dir}/fuzz (build it: make fuzz)", file=sys.stderr)
            return 2
    print(f"fuzzing {len(a.targets)} targets for {a.seconds} s each, {a.jobs} at a time", flush=True)
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(lambda t: run(a.dir, t, a.seconds), a.targets))
    print(f"{'target':14} {'result':8} {'executions':>12} {'exec/s':>8} {'corpus':>7} {'(seeds)':>8} {'peak MB':>8}")
    bad = 0
    for r in results:
        ok = r["rc"] == 0
        bad += not ok
        print(f"{r['target']:14} {'clean' if ok else 'FINDING':8} {r['runs']:>12} {r['per_s']:>8} {r['corpus']:>7} "
              f"{r['seeds']:>8} {r['rss']:>8}")
        if not ok:
            print(f"  see {r['log']} and {a.dir}/findings/{r['target']}-*")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
