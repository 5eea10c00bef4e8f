#!/usr/bin/env python3
"""check_malloc.py VMSIM TRACE [ARGS...]: `vmsim malloc TRACE ARGS --json` must
pass, with the documented keys and no integrity error."""
import json
import subprocess
import sys

out = subprocess.run([sys.argv[1], "malloc", sys.argv[2], *sys.argv[3:], "--json"], capture_output=True, text=True)
if out.returncode != 0:
    sys.exit(f"vmsim exited {out.returncode}:\n{out.stdout[-3000:]}\n{out.stderr[-2000:]}")
r = json.loads(out.stdout)
keys = ["utilization", "peak_payload", "peak_heap", "ops", "ops_per_s", "integrity_errors"]
missing = [k for k in keys if k not in r]
if missing:
    sys.exit(f"missing keys {missing}")
if r["integrity_errors"] != 0 or not 0 < r["utilization"] <= 1 or r["ops_per_s"] <= 0:
    sys.exit(f"bad figures: {r}")
args = sys.argv[3:]
if "--glibc" in args and "glibc.ops_per_s" not in r:
    sys.exit("--glibc given, but no glibc.ops_per_s")
if "--glibc" in args and not (0 < r.get("glibc.utilization", 0) <= 1 and r["glibc.peak_heap"] >= r["peak_payload"]):
    sys.exit(f"--glibc given, but glibc's utilization is missing or impossible: {r}")
if "--glibc" in args and "--native" in args and not r.get("native_vs_glibc", 0) > 0:
    sys.exit("--native --glibc given, but no native_vs_glibc ratio")
print("ok: " + ", ".join(f"{k} {r[k]}" for k in keys))
