#!/usr/bin/env python3
"""check_json.py VMSIM ARGS...: runs `VMSIM run ARGS --json` and checks the
report is one JSON object with the documented keys and a clean result."""
import json
import subprocess
import sys

out = subprocess.run([sys.argv[1], "run", *sys.argv[2:], "--json"], capture_output=True, text=True)
if out.returncode != 0:
    sys.exit(f"vmsim exited {out.returncode}:\n{out.stdout}\n{out.stderr}")
report = json.loads(out.stdout)
required = ["translations", "tlb.hits", "tlb.misses", "walks", "faults.minor", "faults.invalid",
            "check.mismatches", "check.data_mismatches", "sim.cycles", "sim.translations_per_s"]
missing = [k for k in required if k not in report]
if missing:
    sys.exit(f"missing keys: {missing}")
for key in ["translations", "tlb.hits", "tlb.misses", "walks", "faults.minor", "sim.cycles"]:
    if report[key] <= 0:
        sys.exit(f"{key} is {report[key]}, expected > 0")
if report["check.mismatches"] or report["check.data_mismatches"]:
    sys.exit(f"mismatches: {report['check.mismatches']} / {report['check.data_mismatches']}")
# Counters from independent sources must agree. The RTL driver counts hits
# (the MMU's hit flag) and walks (translations that took more than a cycle);
# the checker counts the reference's walk outcomes (a leaf at each level, or
# a fault). Every translation of a run either hits or walks.
if report["tlb.hits"] + report["walks"] != report["translations"]:
    sys.exit(f"hits {report['tlb.hits']} + walks {report['walks']} != translations {report['translations']}")
outcomes = sum(report.get(f"walks.leaf_level{l}", 0) for l in range(5)) + report["walks.faulting"]
if outcomes != report["walks"]:
    sys.exit(f"the reference saw {outcomes} walk outcomes, the RTL made {report['walks']} walks")
# The checker counts by access type what it saw; the driver counts the whole.
by = [report[f"tlb.{a}.translations"] for a in ("load", "store", "fetch")]
hits = [report[f"tlb.{a}.hits"] for a in ("load", "store", "fetch")]
if sum(by) != report["translations"] or sum(hits) != report["tlb.hits"]:
    sys.exit(f"by access type {by} / hits {hits} do not add up to {report['translations']} / {report['tlb.hits']}")
# Evictions come from the reference's model of the TLB: a miss refills at most
# one entry, and a TLB of N entries evicts nothing until N refills.
ev = report["tlb.evictions"]
if ev is None or ev > report["tlb.misses"] or (ev and report["tlb.misses"] < report["tlb.entries"]):
    sys.exit(f"tlb.evictions {ev} with {report['tlb.misses']} misses and {report['tlb.entries']} entries")
# The walk-latency histogram holds every walk once, at its latency: its counts
# add up to the walks and its cycle-weighted sum to the walk cycles that the
# mean comes from; the percentiles are latencies it holds, in order.
hist = {int(c): n for c, n in report["walks.latency_histogram"].items()}
weighted = sum(c * n for c, n in hist.items())
if sum(hist.values()) != report["walks"] or abs(weighted / report["walks"] - report["walks.mean_cycles"]) > 1e-6:
    sys.exit(f"walk-latency histogram {hist} does not match {report['walks']} walks, "
             f"mean {report['walks.mean_cycles']} cycles")
ps = [report[f"walks.latency_{p}"] for p in ("p50", "p90", "p99", "max")]
if ps != sorted(ps) or any(p not in hist for p in ps) or ps[-1] != max(hist):
    sys.exit(f"walk-latency percentiles {ps} do not fit the histogram {hist}")
print(f"ok: {report['translations']} translations, {report['walks']} walks, "
      f"{report['faults.minor']} minor faults, 0 mismatches")
