#!/usr/bin/env python3
"""check_malloc_same_as_glibc.py VMSIM CORPUS_SCRIPT: on program-like traces
of malloc and free only (scripts/malloc_corpus.py --no-realloc), our heap's
peak is glibc's to the byte, at glibc's default top pad and with none. Where
vmsim departs from glibc it does so in realloc alone (docs/malloc.md); every
other rule (bins, stashing, the tcache's own chunk, consolidation, trimming,
the mmap threshold) must give the same heap. One changed rule shows here as
a trace whose peak differs."""
import json
import subprocess
import sys
import tempfile

VMSIM, CORPUS = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as d:
    subprocess.run([sys.executable, CORPUS, "--out", d, "--seeds", "0:10", "--no-realloc"], check=True)
    differ = []
    for seed in range(10):
        for pad in (131072, 0):
            trace = f"{d}/g{seed}.rep"
            out = subprocess.run([VMSIM, "malloc", trace, "--native", "--glibc", "--top-pad", str(pad), "--seconds",
                                  "0.01", "--json"], capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"vmsim malloc g{seed}.rep exited {out.returncode}: {out.stderr[-2000:]}")
            r = json.loads(out.stdout)
            line = f"g{seed} top pad {pad}: ours {r['peak_heap']} bytes, glibc {r['glibc.peak_heap']}"
            print(line)
            if r["peak_heap"] != r["glibc.peak_heap"]:
                differ.append(line)
if differ:
    sys.exit("peak heap differs from glibc's:\n  " + "\n  ".join(differ))
print("ok: the same peak heap as glibc on 10 malloc/free traces at both pads")
