#!/usr/bin/env python3
"""Lab 2's grader (docs/labs/2-tlb-sizing.md): TLB sizing with sweeps.

Usage: lab2_grader.py --vmsim PATH [--lab DIR] [--quiet]

It writes the lab's traces afresh (make_traces.py) in a scratch directory,
copies the student's three sweep files beside them, re-runs each with
`vmsim sweep`, and scores:

  sweeps   20  each file sweeps what its part asks (sizes, ways, caches; --fast)
  results  20  each submitted CSV holds the re-run's figures, job for job
  knees    30  answers.txt's knee of each trace, from the re-run's figures
  ways     15  misses per 1,000 references, 4-way and fully associative, 64 entries
  pwc      15  PTE reads per walk on hashjoin without and with a page-walk cache

Every expected answer is computed here from the re-run, never stored, so an
answer is right when it is what the student's own sweep shows; a wrong one is
named, its right value is not printed. Written
answers (answers.md) are for the instructor and get no points here.
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

from answers import Grade, close, load_answers, number, read_rows

TRACES = ("matmul", "hashjoin", "listwalk")
SIZES = (4, 8, 16, 32, 64, 128, 256)  # the fully associative sizes entries.json must hold


def rerun(vmsim, sweep, scratch):
    """The re-run's rows of one sweep file, or None with why."""
    name = os.path.basename(sweep)
    try:
        with open(sweep) as f:
            plan = json.load(f)
    except (OSError, ValueError) as e:
        return None, f"{name}: {e}"
    if "--fast" not in plan.get("args", []):
        return None, f"{name}: its \"args\" must hold \"--fast\" (the reference model; no RTL build)"
    shutil.copy(sweep, os.path.join(scratch, name))
    out = os.path.join(scratch, name + ".out")
    p = subprocess.run([vmsim, "sweep", os.path.join(scratch, name), "-o", out, "--quiet"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, f"{name}: vmsim sweep failed: {(p.stderr or p.stdout).strip().splitlines()[-1:]}"
    with open(os.path.join(out, "results.csv")) as f:
        rows = list(csv.DictReader(f))
    for r in rows:  # a generated configuration's file; a named one counts for nothing here
        generated = os.path.join(out, "configs", r["config"] + ".json")
        r["_config"] = json.load(open(generated)) if os.path.exists(generated) else {}
        r["_trace"] = os.path.splitext(os.path.basename(r["trace"]))[0]
    return rows, None


def l1(row):
    return row["_config"].get("l1_tlb", {})


def pwc_entries(row):
    return row["_config"].get("page_walk_caches", {}).get("l1", {}).get("entries", 0)


def fully_lru(rows):
    """{(trace, entries): row} of the fully associative LRU TLBs with no page-walk cache."""
    return {(r["_trace"], l1(r).get("ways")): r for r in rows
            if l1(r).get("sets") == 1 and l1(r).get("policy") == "lru" and not pwc_entries(r)
            and "l2_tlb" not in r["_config"] and "l1_itlb" not in r["_config"]}


def covers(rows, g):
    """Part 'sweeps': does each file sweep what its part asks? Points of 20."""
    pts = 0.0
    entries, ways, pwc = rows
    if entries:
        have = fully_lru(entries)
        missing = [f"{t} x {s}" for t in TRACES for s in SIZES if (t, s) not in have]
        pts += 8 if not missing else 0
        g.say("entries.json: " + ("every size 4..256 on every trace" if not missing
                                  else "missing fully associative LRU " + ", ".join(missing[:4])))
    if ways:
        four = {(r["_trace"], l1(r)["sets"] * 4) for r in ways if l1(r).get("ways") == 4 and l1(r).get("sets", 1) > 1}
        missing = [f"{t} x {s}" for t in TRACES for s in (16, 32, 64, 128) if (t, s) not in four]
        pts += 6 if not missing else 0
        g.say("ways.json: " + ("4-way TLBs of 16..128 entries" if not missing else "missing 4-way " + ", ".join(missing[:4])))
    if pwc:
        sizes = {pwc_entries(r) for r in pwc if r["_trace"] == "hashjoin" and l1(r).get("ways") == 16
                 and l1(r).get("sets") == 1}
        ok = {1, 2, 4, 8} <= sizes
        pts += 6 if ok else 0
        g.say("pwc.json: " + ("level-1 caches of 1..8 entries before a 1 x 16 TLB" if ok
                              else "needs level-1 page-walk caches of 1, 2, 4 and 8 entries on hashjoin"))
    return pts


def same_results(lab, name, rows, g):
    """Part 'results': the student's CSV against the re-run. Points of 20/3."""
    path = os.path.join(lab, name.replace(".json", ".csv"))
    if not rows or not os.path.exists(path):
        g.say(f"{os.path.basename(path)}: " + ("missing" if rows else "its sweep did not run"))
        return 0.0
    theirs = {(r.get("config"), os.path.splitext(os.path.basename(r.get("trace", "")))[0]): r
              for r in read_rows(path)}
    wrong = []
    for r in rows:
        t = theirs.get((r["config"], r["_trace"]))
        if t is None or any(t.get(k) != r[k] for k in ("tlb.misses", "walks", "pte.reads")):
            wrong.append(f"{r['config']} on {r['_trace']}")
    g.say(f"{os.path.basename(path)}: " + ("equals the re-run" if not wrong
                                           else f"{len(wrong)} of {len(rows)} jobs differ, first {wrong[0]}"))
    return 0.0 if wrong else 20.0 / 3


def knees(entries, answers, g):
    """The fewest swept entries whose misses per 1,000 are at most twice the largest size's."""
    pts = 0.0
    have = fully_lru(entries or [])
    for t in TRACES:
        sizes = sorted(s for (tr, s) in have if tr == t)
        if not set(SIZES) <= set(sizes):
            g.say(f"knee.{t}: entries.json must sweep 4..256 first")
            continue
        rate = {s: float(have[(t, s)]["tlb.misses_per_1k"]) for s in sizes}
        knee = next(s for s in sizes if rate[s] <= 2 * rate[sizes[-1]])
        got = number(answers.get(f"knee.{t}"), 0)
        pts += 10 if got == knee else 0
        g.say(f"knee.{t} = {answers.get(f'knee.{t}', ['(none)'])[0]}: " + ("right" if got == knee else "wrong: check it against your entries.csv"))
    return pts


def ways_answers(entries, ways, answers, g):
    pts = 0.0
    full = fully_lru(entries or [])
    four = {r["_trace"]: r for r in ways or [] if l1(r).get("ways") == 4 and l1(r).get("sets") == 16}
    for t in TRACES:
        if (t, 64) not in full or t not in four:
            continue
        want = (float(four[t]["tlb.misses_per_1k"]), float(full[(t, 64)]["tlb.misses_per_1k"]))
        words = answers.get(f"ways.{t}")
        ok = all(close(number(words, i), want[i]) for i in (0, 1))
        pts += 5 if ok else 0
        g.say(f"ways.{t}: " + ("right" if ok else "wrong: check both against your CSVs"))
    return pts


def pwc_answers(entries, pwc, answers, g):
    full = fully_lru(entries or []).get(("hashjoin", 16))
    cached = sorted((pwc_entries(r), r) for r in pwc or [] if r["_trace"] == "hashjoin"
                    and l1(r).get("ways") == 16 and l1(r).get("sets") == 1 and pwc_entries(r))
    if full is None or not cached:
        return 0.0

    def per_walk(r):
        return int(r["pte.reads"]) / max(1, int(r["walks"]))

    first = next((n for n, r in cached if per_walk(r) < 1.1), None)
    pts = 0.0
    none = answers.get("pwc.none")
    if close(number(none, 0), per_walk(full)):
        pts += 7.5
    g.say(f"pwc.none: " + ("right" if pts else "wrong: pte.reads / walks of 1 x 16 on hashjoin"))
    got = number(answers.get("pwc.entries"), 0)
    ok = first is not None and got == first
    pts += 7.5 if ok else 0
    g.say(f"pwc.entries: " + ("right" if ok else "wrong: check it against your pwc.csv"))
    return pts


def main():
    ap = argparse.ArgumentParser(description="lab 2's grader: TLB sizing")
    ap.add_argument("--vmsim", required=True)
    ap.add_argument("--lab", default=os.path.join(os.path.dirname(__file__), "..", "2-tlb-sizing"))
    ap.add_argument("--quiet", action="store_true", help="the score by part only")
    a = ap.parse_args()
    g = Grade(a.quiet)
    print(f"lab 2: TLB sizing ({os.path.normpath(a.lab)})")
    with tempfile.TemporaryDirectory(prefix="vmsim-lab2-") as scratch:
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "2-tlb-sizing",
                                                     "make_traces.py"), os.path.join(scratch, "traces")],
                       check=True, capture_output=True)
        rows = []
        for name in ("entries.json", "ways.json", "pwc.json"):
            path = os.path.join(a.lab, name)
            r, why = rerun(a.vmsim, path, scratch) if os.path.exists(path) else (None, f"{name}: missing")
            if why:
                g.say(why)
            rows.append(r)
    answers = load_answers(os.path.join(a.lab, "answers.txt"))
    entries, ways, pwc = rows
    g.part("sweeps: each file sweeps what its part asks", covers(rows, g), 20)
    g.part("results: your CSVs equal the re-run",
           sum(same_results(a.lab, n, r, g) for n, r in zip(("entries.json", "ways.json", "pwc.json"), rows)), 20)
    g.part("knees: the knee of each trace", knees(entries, answers, g), 30)
    g.part("ways: 4-way against fully associative at 64 entries", ways_answers(entries, ways, answers, g), 15)
    g.part("pwc: PTE reads per walk with a page-walk cache", pwc_answers(entries, pwc, answers, g), 15)
    g.report(a.lab)


if __name__ == "__main__":
    main()
