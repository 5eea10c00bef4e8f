#!/usr/bin/env python3
"""check_phases.py VMSIM DEVICE WORKDIR

vmsim trace --warmup and --interval, held to arithmetic on independent runs
of one trace with phases (a small hot set, then a wide sweep, then a second
hot set; fetches, loads and stores), on DEVICE (a TLB hierarchy):

- without warm-up, the interval rows add up to the report's totals;
- the first row of a run with --interval W is what the first W references
  did, so a run with --warmup W must report the whole run's figures less
  that row (translations, TLB misses, L2 hits, walks, walk cycles);
- with warm-up, the rows add up to the report's (post-warm-up) totals, and
  each TLB's own counts (from the reference) agree with the device's L2 hits;
- the sweep phase shows: its rows miss far more than the hot ones.
"""
import json
import os
import random
import subprocess
import sys


def write_trace(path):
    rng = random.Random(5)
    lines = []
    code = [0x400000 + 64 * k for k in range(64)]
    def phase(n, pages):
        for _ in range(n):
            lines.append(f"I  {rng.choice(code):x},4")
            page = rng.choice(pages)
            kind = "L" if rng.random() < 0.7 else "S"
            lines.append(f" {kind} {page * 4096 + rng.randrange(0, 4096, 8):x},8")
    phase(4000, list(range(0x10000, 0x10004)))
    phase(4000, list(range(0x20000, 0x20400)))
    phase(4000, list(range(0x30000, 0x30004)))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 2 * 12000


def run(vmsim, device, trace, *args):
    cmd = [vmsim, "trace", trace, "--device", device, "--json", "--quiet", *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr}")
    j = json.loads(r.stdout)
    if not j["passed"]:
        sys.exit(f"{' '.join(cmd)} did not pass: {j.get('check.first_error')}")
    return j


def totals(j):
    return {"translations": j["translations"], "tlb_misses": j["tlb.misses"], "l2_hits": j["tlb.l2_hits"],
            "walks": j["walks"], "walk_cycles": round(j["walks.mean_cycles"] * j["walks"])}


def row_sums(rows):
    return {k: sum(r[k] for r in rows) for k in ("translations", "tlb_misses", "l2_hits", "walks", "walk_cycles")}


def main():
    vmsim, device, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    trace = os.path.join(work, "phases.lackey")
    n = write_trace(trace)
    warm = 5000

    whole = run(vmsim, device, trace, "--interval", str(warm))
    if row_sums(whole["intervals"]) != totals(whole):
        sys.exit(f"rows {row_sums(whole['intervals'])} do not add up to the totals {totals(whole)}")
    if sum(r["references"] for r in whole["intervals"]) != n:
        sys.exit("the rows do not cover every reference")

    warmed = run(vmsim, device, trace, "--warmup", str(warm), "--interval", "3000")
    first = whole["intervals"][0]
    want = {k: totals(whole)[k] - first[k] for k in first if k in totals(whole)}
    if totals(warmed) != want:
        sys.exit(f"after a warm-up of {warm}: {totals(warmed)}, wanted the whole run less its first "
                 f"{warm} references: {want}")
    if row_sums(warmed["intervals"]) != totals(warmed):
        sys.exit(f"rows after warm-up {row_sums(warmed['intervals'])} != totals {totals(warmed)}")
    if warmed["intervals"][0]["first"] != warm or warmed["trace.warmup_references"] != warm:
        sys.exit("the first row after warm-up does not start at the warm-up's end")
    if warmed["tlb.l2.hits"] != warmed["tlb.l2_hits"]:
        sys.exit(f"reference L2 hits {warmed['tlb.l2.hits']} != device {warmed['tlb.l2_hits']} after warm-up")
    if warmed["tlb.l1.accesses"] + warmed.get("tlb.l1i.accesses", 0) != warmed["translations"]:
        sys.exit("after warm-up, the L1 lookups are not the translations")

    rates = [r["misses_per_1k"] for r in whole["intervals"]]
    sweep, hot = max(rates[1:4]), rates[0]
    if not sweep > 5 * max(hot, 1):
        sys.exit(f"the sweep phase does not show: misses per 1,000 by interval {rates}")
    print(f"ok: rows add up; warm-up of {warm} = whole less its first row; misses per 1,000 by interval {rates}")


if __name__ == "__main__":
    main()
