#!/usr/bin/env python3
"""check_glibc_heap.py VMSIM: `vmsim malloc --glibc` measures glibc's own
heap, in a process where it holds nothing else. The expected sizes follow
from glibc's documented rules, not from vmsim's allocator:
- the first malloc makes the thread's tcache, a 0x290-byte chunk from brk;
- a chunk is the request + 8, rounded up to 16;
- a chunk below the mmap threshold (128 KiB) comes from top; when top is too
  small, brk grows by chunk + MINSIZE (32) + M_TOP_PAD - top, rounded up to
  whole pages;
- a block at or above it is a mapping of its own: the chunk + 8, rounded up to
  whole pages."""
import json
import os
import subprocess
import sys
import tempfile

VMSIM = sys.argv[1]
PAGE = 4096


def up(n, to):
    return (n + to - 1) // to * to


def glibc_heap(requests, pad):
    """Peak brk + mapped bytes for mallocs of `requests`, none freed."""
    brk = top = mapped = 0
    for chunk in [0x290] + [up(r + 8, 16) for r in requests]:
        if chunk >= 128 * 1024:
            mapped += up(chunk + 8, PAGE)
            continue
        if top < chunk + 32:
            grow = up(chunk + 32 + pad - top, PAGE)
            brk, top = brk + grow, top + grow
        top -= chunk
    return brk + mapped


CASES = [  # (trace body, top pad, glibc's peak heap)
    ("a 0 100000\nf 0\n", 0, glibc_heap([100000], 0)),
    ("a 0 100000\nf 0\n", 65536, glibc_heap([100000], 65536)),
    ("a 0 200000\nf 0\n", 0, glibc_heap([200000], 0)),
    ("a 0 100000\na 1 200000\na 2 5000\nf 1\nf 0\nf 2\n", 4096, glibc_heap([100000, 200000, 5000], 4096)),
]

failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for n, (body, pad, want) in enumerate(CASES):
        path = os.path.join(tmp, f"t{n}.rep")
        with open(path, "w") as f:
            f.write(body)
        out = subprocess.run([VMSIM, "malloc", path, "--glibc", "--top-pad", str(pad), "--seconds", "0.01",
                              "--json"], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"vmsim exited {out.returncode}: {out.stderr[-2000:]}")
        got = json.loads(out.stdout)["glibc.peak_heap"]
        if got != want:
            failures += 1
            print(f"MISMATCH {body!r} top pad {pad}: glibc.peak_heap {got}, glibc's rules give {want}")
    # Timing glibc frees only what a pass leaves, so a trace with a large id
    # still ends promptly.
    path = os.path.join(tmp, "big_id.rep")
    with open(path, "w") as f:
        f.write("a 9999999 10\nf 9999999\na 5000000 20\n")
    out = subprocess.run([VMSIM, "malloc", path, "--native", "--glibc", "--seconds", "0.05", "--json"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0 or not json.loads(out.stdout)["glibc.ops_per_s"] > 0:
        failures += 1
        print(f"timing glibc on a trace with a large id failed: {out.returncode} {out.stderr[-1000:]}")
if failures:
    sys.exit(f"{failures} of {len(CASES) + 1} checks failed")
print(f"ok: glibc's peak heap as its rules give it in {len(CASES)} cases")
