#!/usr/bin/env python3
"""check_malloc_modes.py VMSIM TRACE [ARGS...]: `vmsim malloc TRACE ARGS` in
guest memory (through the MMU) and with --native must report the same
allocator figures, down to every counter of the allocator's paths (malloc.*):
every allocator option and every rule means the same in both modes."""
import json
import subprocess
import sys


def run(extra):
    cmd = [sys.argv[1], "malloc", sys.argv[2], *sys.argv[3:], *extra, "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {out.returncode}:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return json.loads(out.stdout)


guest, native = run([]), run(["--native", "--seconds", "0.01"])
keys = ["utilization", "peak_payload", "peak_heap"] + sorted(k for k in native if k.startswith("malloc."))
differ = [k for k in keys if guest.get(k) != native.get(k)]
if differ:
    sys.exit("guest and native differ: " + ", ".join(f"{k} {guest.get(k)} vs {native.get(k)}" for k in differ))
print("ok: " + ", ".join(f"{k} {guest[k]}" for k in keys))
