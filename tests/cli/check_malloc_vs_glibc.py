#!/usr/bin/env python3
"""check_malloc_vs_glibc.py VMSIM TRACE...: on every trace, with glibc's
default top pad and with none, our allocator's utilization is at least
glibc's (measured by vmsim malloc --glibc in a process of its own). Both
heaps are deterministic, so this is a fixed comparison, not a timing."""
import os
import sys

from malloc_json import against_glibc

VMSIM, traces = sys.argv[1], sys.argv[2:]
worse = []
for trace in traces:
    for pad in (131072, 0):
        r = against_glibc(VMSIM, trace, pad)
        line = f"{os.path.basename(trace)} top pad {pad}: ours {r['utilization']:.4f}, glibc {r['glibc.utilization']:.4f}"
        print(line)
        if r["utilization"] < r["glibc.utilization"]:
            worse.append(line)
if worse:
    sys.exit("utilization below glibc's:\n  " + "\n  ".join(worse))
print(f"ok: at or above glibc on {len(traces)} traces at both pads")
