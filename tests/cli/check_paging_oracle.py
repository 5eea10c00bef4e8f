#!/usr/bin/env python3
"""check_paging_oracle.py VMSIM: vmsim trace's page-ins and write-backs equal
the independent textbook simulator's (scripts/paging_reference.py) for
FIFO, LRU, OPT, CLOCK and dueling, on the textbook strings and on random strings with
writes, at 2 to 5 frames. Each string becomes a lackey trace of 8-byte loads
and stores, one page per reference."""
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from paging_reference import parse, simulate  # noqa: E402

VMSIM = sys.argv[1]
STRINGS = [
    "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1",                 # Silberschatz
    "7 0w 1 2 0w 3 0 4w 2 3 0w 3 2 1 2w 0 1 7w 0 1",
    "1 2 3 4 1 2 5 1 2 3 4 5",                                  # Belady's anomaly
    "1w 2 3w 4 1 2w 5 1 2 3w 4 5w",
]
rng = random.Random(2026)
for _ in range(6):
    pages = rng.randint(5, 9)
    STRINGS.append(" ".join(f"{rng.randrange(pages)}{'w' if rng.random() < 0.3 else ''}" for _ in range(40)))


# Long strings for the dueling policy: long enough for its timer (a tick every
# 8192 references once memory is half full) and for the lead to change hands
# between its rankings.
# Phases: a loop one page longer than memory (LRU-2 wins), then a drifting
# hot set (recency wins), then random references with writes.
LONG = []
for seed in (1, 2):
    r = random.Random(seed)
    refs = []
    for _ in range(2000):
        refs += [f"{p}" for p in range(6)]
    base = 0
    for i in range(12000):
        base += r.random() < 0.01
        refs.append(f"{(base + r.randrange(4)) % 11}{'w' if r.random() < 0.2 else ''}")
    refs += [f"{r.randrange(9)}{'w' if r.random() < 0.3 else ''}" for _ in range(8000)]
    LONG.append(" ".join(refs))


def lackey(refs):
    lines = []
    for page, write in refs:
        lines.append(f" {'S' if write else 'L'} {0x10000000 + page * 4096 + 0x40:x},8")
    return "\n".join(lines) + "\n"


def vmsim_counts(path, policy, frames):
    out = subprocess.run([VMSIM, "trace", path, "--user-frames", str(frames), "--reclaim", "on-demand",
                          "--policy", policy, "--harness", "plain", "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"vmsim trace exited {out.returncode}: {out.stderr[-2000:]}")
    r = json.loads(out.stdout)
    return r["page_ins"], r["swap.outs"]


failures = checked = 0
with tempfile.TemporaryDirectory() as tmp:
    for n, text in enumerate(STRINGS):
        refs = parse(text)
        path = os.path.join(tmp, f"s{n}.lackey")
        with open(path, "w") as f:
            f.write(lackey(refs))
        for policy in ("fifo", "lru", "opt", "clock", "dueling"):
            for frames in (2, 3, 4, 5):
                want = simulate(policy, frames, refs)
                got = vmsim_counts(path, policy, frames)
                checked += 1
                if tuple(got) != tuple(want):
                    failures += 1
                    print(f"MISMATCH {policy} {frames} frames on '{text}': vmsim (page-ins, write-backs) {got}, "
                          f"oracle {want}")
    for n, text in enumerate(LONG):
        refs = parse(text)
        path = os.path.join(tmp, f"long{n}.lackey")
        with open(path, "w") as f:
            f.write(lackey(refs))
        for frames in (3, 5, 8):
            want = simulate("dueling", frames, refs)
            got = vmsim_counts(path, "dueling", frames)
            checked += 1
            if tuple(got) != tuple(want):
                failures += 1
                print(f"MISMATCH dueling {frames} frames on long string {n}: vmsim {got}, oracle {want}")
if failures:
    sys.exit(f"{failures} of {checked} runs differ from the oracle")
print(f"ok: {checked} runs (5 policies x 4 frame counts x {len(STRINGS)} strings, and dueling on "
      f"{len(LONG)} strings of {len(parse(LONG[0]))} references at 3 frame counts) equal the oracle")
