#!/usr/bin/env python3
"""Lab 4's grader (docs/labs/4-thrashing.md): swap and thrashing.

Usage: lab4_grader.py --vmsim PATH [--lab DIR] [--quiet]

It writes the lab's traces afresh (make_traces.py) in a scratch directory,
re-runs every experiment the handout fixes, and scores:

  thrash      30  thrash.csv: page-ins and cycles per reference of each working set
  point       15  answers.txt thrash.point, from the re-run's figures
  frames      10  answers.txt thrash.frames: the frames the pages had at W = 1024
  watermarks  25  watermarks.csv: page-ins and reclaim at each watermark setting
  swap        20  answers.txt swap.slots: the overcommit workload kills nothing
                  with that many swap slots and kills with 256 fewer

Every expected figure comes from the re-run, never from a stored table; a
wrong answer is named, its right value is not printed. Written answers
(answers.md) are for the instructor and get no points here.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

from answers import Grade, close, load_answers, matching_rows, number

WORKING_SETS = (512, 640, 704, 736, 768, 800, 896, 1024, 1280)
WATERMARKS = ("12,15,18", "16,32,64", "16,64,128", "32,128,256")
FRAMES = 768
MAX_SWAP_SLOTS = 1 << 24  # what vmsim accepts


class RunFailed(Exception):
    pass


def run_json(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    try:
        return json.loads(p.stdout)
    except ValueError:
        raise RunFailed(f"{' '.join(argv)} failed: {p.stderr.strip()[-300:]}")


def cycles_per_reference(r):
    return (r["sim.cycles"] + r["faults.major_cycles"]) / r["trace.references"]


def rerun(vmsim, traces, jobs):
    """The re-run's reports: {("thrash", W)}, {("wm", setting)}."""
    plans = {("thrash", w): [vmsim, "trace", os.path.join(traces, f"ws-{w}.lackey"), "--frames", str(FRAMES),
                             "--harness", "plain", "--json"] for w in WORKING_SETS}
    plans.update({("wm", s): [vmsim, "trace", os.path.join(traces, "ws-1024.lackey"), "--frames", str(FRAMES),
                              "--watermarks", s, "--json"] for s in WATERMARKS})
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futures = {k: pool.submit(run_json, argv) for k, argv in plans.items()}
        return {k: f.result() for k, f in futures.items()}


def grade_thrash(lab, runs, g):
    wanted = {str(w): {"page_ins": lambda v, r=runs[("thrash", w)]: v == str(r["faults.major"]),
                       "cycles_per_reference": lambda v, r=runs[("thrash", w)]: close(
                           number([v]), cycles_per_reference(r), 0.005)} for w in WORKING_SETS}
    right = matching_rows(os.path.join(lab, "thrash.csv"), "working_set", wanted, g)
    return 30.0 * (right or 0) / len(WORKING_SETS)


def grade_point(runs, answers, g):
    base = cycles_per_reference(runs[("thrash", WORKING_SETS[0])])
    point = next((w for w in WORKING_SETS if cycles_per_reference(runs[("thrash", w)]) >= 10 * base), None)
    ok = point is not None and number(answers.get("thrash.point")) == point
    g.say("thrash.point: " + ("right" if ok else "wrong (or missing): check it against your thrash.csv"))
    pts = 15.0 if ok else 0.0
    # The frames the pages had: page-ins = (1 - F / W) x random references.
    r = runs[("thrash", 1024)]
    frames = 1024 * (1 - r["faults.major"] / 60000)
    ok = close(number(answers.get("thrash.frames")), frames, 0.01)
    g.say("thrash.frames: " + ("right" if ok else "wrong (or missing): solve page-ins = (1 - F/W) x 60,000 for F"))
    return pts, 10.0 if ok else 0.0


def grade_watermarks(lab, runs, g):
    fields = {"page_ins": "faults.major", "direct_pages": "reclaim.direct_pages",
              "background_pages": "reclaim.background_pages", "kswapd_wakeups": "reclaim.kswapd_wakeups"}
    wanted = {s: {c: lambda v, want=str(runs[("wm", s)][k]): v == want for c, k in fields.items()}
              for s in WATERMARKS}
    right = matching_rows(os.path.join(lab, "watermarks.csv"), "watermarks", wanted, g)
    return 25.0 * (right or 0) / len(WATERMARKS)


def grade_swap(vmsim, answers, g):
    slots = number(answers.get("swap.slots"))
    if slots is None or slots < 256 or slots % 256 or slots > MAX_SWAP_SLOTS:
        g.say(f"swap.slots: missing, not a multiple of 256, or above {MAX_SWAP_SLOTS}")
        return 0.0
    kills = {}
    for s in (int(slots), int(slots) - 256):
        try:
            r = run_json([vmsim, "run", "--workload", "overcommit", "--harness", "plain", "--frames", "1024",
                          "--swap-slots", str(s), "--json"])
        except RunFailed as e:
            g.say(f"swap.slots: the run with {s} slots failed: {e}")
            return 0.0
        kills[s] = r["oom.kills"]
    ok = kills[int(slots)] == 0 and kills[int(slots) - 256] > 0
    g.say("swap.slots: " + ("right" if ok else "wrong: with it the workload must kill nothing, with 256 fewer kill"))
    return 20.0 if ok else 0.0


def main():
    ap = argparse.ArgumentParser(description="lab 4's grader: swap and thrashing")
    ap.add_argument("--vmsim", required=True)
    ap.add_argument("--lab", default=os.path.join(os.path.dirname(__file__), "..", "4-thrashing"))
    ap.add_argument("--quiet", action="store_true", help="the score by part only")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="runs at once")
    a = ap.parse_args()
    g = Grade(a.quiet)
    print(f"lab 4: swap and thrashing ({os.path.normpath(a.lab)})")
    answers = load_answers(os.path.join(a.lab, "answers.txt"))
    with tempfile.TemporaryDirectory(prefix="vmsim-lab4-") as scratch:
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "4-thrashing",
                                                     "make_traces.py"), scratch], check=True, capture_output=True)
        try:
            runs = rerun(a.vmsim, scratch, a.jobs)
        except RunFailed as e:  # the lab's own experiments: vmsim is broken, not the answer
            sys.exit(f"lab 4's grader: {e}")
    g.part("thrash: thrash.csv equals the re-run", grade_thrash(a.lab, runs, g), 30)
    point, frames = grade_point(runs, answers, g)
    g.part("point: the thrashing point", point, 15)
    g.part("frames: the frames the pages had at W = 1024", frames, 10)
    g.part("watermarks: watermarks.csv equals the re-run", grade_watermarks(a.lab, runs, g), 25)
    g.part("swap: the fewest swap slots that kill nothing", grade_swap(a.vmsim, answers, g), 20)
    g.report(a.lab)


if __name__ == "__main__":
    main()
