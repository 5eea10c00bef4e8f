#!/usr/bin/env python3
"""policy_table.py: every replacement policy against exact LRU and OPT on
recorded traces, at several memory sizes, as a Markdown table.

  scripts/policy_table.py --vmsim build/vmsim TRACE... [--fractions 0.1,0.2,0.4,0.7]
                          [--policies P,...] [--jobs 2] [--json OUT]

Each trace is replayed with `vmsim trace --reclaim on-demand --user-frames N`
(the classic counting: page-ins = minor + major faults, write-backs = swap
outs) for N = each fraction of the trace's distinct pages. A cell shows
page-ins / write-backs and the page-ins as a ratio to exact LRU's; the A-bit
columns give the A tests and fences the policy cost. Runs go in parallel
(--jobs), so a table of 6 traces x 4 sizes x 6 policies takes minutes.
"""
import argparse
import concurrent.futures as cf
import json
import os
import re
import subprocess
import sys


def distinct_pages(vmsim, trace):
    """The trace's distinct 4 KiB pages, from vmsim's --tlb-curve pass."""
    out = subprocess.run([vmsim, "trace", trace, "--tlb-curve", "--no-opt", "--curve-entries", "1"],
                         capture_output=True, text=True, check=True)
    return int(re.search(r"(\d+) distinct 4 KiB pages", out.stdout).group(1))


def replay(vmsim, trace, policy, frames):
    out = subprocess.run([vmsim, "trace", trace, "--user-frames", str(frames), "--reclaim", "on-demand",
                          "--policy", policy, "--harness", "plain", "--quiet", "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"vmsim trace {trace} --policy {policy} exited {out.returncode}: {out.stderr[-1000:]}")
    j = json.loads(out.stdout)
    return {"page_ins": j["page_ins"], "write_backs": j["swap.outs"], "a_tests": j["reclaim.a_bit_tests"],
            "a_fences": j["reclaim.a_bit_fences"], "audit_clean": j["audit.clean"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("traces", nargs="+")
    ap.add_argument("--vmsim", default="build/vmsim")
    ap.add_argument("--fractions", default="0.1,0.2,0.4,0.7")
    ap.add_argument("--policies", default="dueling,active-inactive,clock,fifo,lru,opt")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--json", help="also write every figure here")
    a = ap.parse_args()
    policies = a.policies.split(",")
    if "lru" not in policies:
        policies.append("lru")
    fractions = [float(f) for f in a.fractions.split(",")]

    runs = {}
    with cf.ThreadPoolExecutor(a.jobs) as pool:
        sizes = {t: pool.submit(distinct_pages, a.vmsim, t) for t in a.traces}
        for t in a.traces:
            pages = sizes[t].result()
            for f in fractions:
                frames = max(2, int(pages * f))
                for p in policies:
                    runs[(t, frames, p)] = pool.submit(replay, a.vmsim, t, p, frames)
        results = {k: v.result() for k, v in runs.items()}

    name = lambda t: re.sub(r"\.(lackey|vtr|champsim)?(\.(gz|xz|zst))?$", "", os.path.basename(t))
    print("| trace | frames | " + " | ".join(policies) + " |")
    print("|---|---|" + "---|" * len(policies))
    worst = {p: 0.0 for p in policies}
    for (t, frames) in dict.fromkeys((t, f) for (t, f, _) in results):
        lru = results[(t, frames, "lru")]["page_ins"]
        cells = []
        for p in policies:
            r = results[(t, frames, p)]
            ratio = r["page_ins"] / lru
            worst[p] = max(worst[p], ratio)
            cells.append(f"{r['page_ins']} / {r['write_backs']} ({ratio:.3f})")
        print(f"| {name(t)} | {frames} | " + " | ".join(cells) + " |")
    print()
    print("worst page-ins vs LRU: " + ", ".join(f"{p} {worst[p]:.3f}" for p in policies))
    costs = []
    for p in policies:
        tests = sum(r["a_tests"] for (t, f, q), r in results.items() if q == p)
        fences = sum(r["a_fences"] for (t, f, q), r in results.items() if q == p)
        faults = sum(r["page_ins"] for (t, f, q), r in results.items() if q == p)
        if tests:
            costs.append(f"{p} {tests / faults:.1f} tests and {fences / faults:.1f} fences per page-in")
    if costs:
        print("A-bit cost: " + "; ".join(costs))
    unclean = [k for k, r in results.items() if not r["audit_clean"]]
    if unclean:
        sys.exit(f"audit not clean in {unclean}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump([{"trace": name(t), "frames": fr, "policy": p, **r} for (t, fr, p), r in results.items()], f,
                      indent=1)


if __name__ == "__main__":
    main()
