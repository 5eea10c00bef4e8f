#!/usr/bin/env python3
"""check_malloc_vs_glibc.py VMSIM TRACE...: on every trace, with glibc's
default top pad and with none, our allocator's utilization is at least
glibc's (measured by vmsim malloc --glibc in a process of its own). Both
heaps are deterministic, so this is a fixed comparison, not a timing."""
import json
import os
import subprocess
import sys

VMSIM, traces = sys.argv[1], sys.argv[2:]
worse = []
for trace in traces:
    for pad in (131072, 0):
        out = subprocess.run([VMSIM, "malloc", trace, "--native", "--glibc", "--top-pad", str(pad), "--seconds",
                              "0.01", "--json"], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"vmsim malloc {trace} exited {out.returncode}: {out.stderr[-2000:]}")
        r = json.loads(out.stdout)
        line = f"{os.path.basename(trace)} top pad {pad}: ours {r['utilization']:.4f}, glibc {r['glibc.utilization']:.4f}"
        print(line)
        if r["utilization"] < r["glibc.utilization"]:
            worse.append(line)
if worse:
    sys.exit("utilization below glibc's:\n  " + "\n  ".join(worse))
print(f"ok: at or above glibc on {len(traces)} traces at both pads")
