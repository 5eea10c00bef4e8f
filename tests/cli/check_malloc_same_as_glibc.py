#!/usr/bin/env python3
"""check_malloc_same_as_glibc.py VMSIM CORPUS_SCRIPT: on program-like traces
of malloc and free only (scripts/malloc_corpus.py --no-realloc), our heap's
peak is glibc's to the byte, at glibc's default top pad and with none. Where
vmsim departs from glibc it does so in realloc and in the lockstep rule
(docs/malloc.md), which these traces never meet (they carve no small size in
lockstep with much larger ones); every other rule (bins, stashing, the
tcache's own chunk, consolidation, trimming, the mmap threshold) must give
the same heap. One changed rule shows here as a trace whose peak differs."""
import subprocess
import sys
import tempfile

from malloc_json import against_glibc

VMSIM, CORPUS = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as d:
    subprocess.run([sys.executable, CORPUS, "--out", d, "--seeds", "0:10", "--no-realloc"], check=True)
    differ = []
    for seed in range(10):
        for pad in (131072, 0):
            trace = f"{d}/g{seed}.rep"
            r = against_glibc(VMSIM, trace, pad)
            line = f"g{seed} top pad {pad}: ours {r['peak_heap']} bytes, glibc {r['glibc.peak_heap']}"
            print(line)
            if r["peak_heap"] != r["glibc.peak_heap"]:
                differ.append(line)
if differ:
    sys.exit("peak heap differs from glibc's:\n  " + "\n  ".join(differ))
print("ok: the same peak heap as glibc on 10 malloc/free traces at both pads")
