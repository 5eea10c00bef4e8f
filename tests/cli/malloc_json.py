"""malloc_json.py: the figures `vmsim malloc --native --glibc --json` gives for
one trace at one top pad, for the checks that hold our allocator against
glibc's (check_malloc_vs_glibc.py, check_malloc_same_as_glibc.py). A run
that fails ends the check, with vmsim's own words."""
import json
import os
import subprocess
import sys


def against_glibc(vmsim, trace, pad):
    """The JSON figures of one replay, ours and glibc's, with top pad `pad`."""
    out = subprocess.run([vmsim, "malloc", trace, "--native", "--glibc", "--top-pad", str(pad), "--seconds", "0.01",
                          "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"vmsim malloc {os.path.basename(trace)} exited {out.returncode}: {out.stderr[-2000:]}")
    return json.loads(out.stdout)
