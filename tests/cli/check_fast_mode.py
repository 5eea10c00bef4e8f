#!/usr/bin/env python3
"""check_fast_mode.py VMSIM WORKDIR DEVICE...

vmsim trace --fast (the reference model alone) against the RTL: for each
device, with 4 KiB and 2 MiB pages and with a warm-up and interval rows, the
same trace replayed premapped on the RTL (--premap) and in fast mode must
give the same figure for every TLB, walk and cycle statistic (every key under
tlb., walks. (by depth too), pte., pwc. (the page-walk caches), and
translations, sfences, sim.cycles) and the same rows. The trace has phases and
all three access types, so every level hits, misses and evicts.
"""
import json
import os
import random
import subprocess
import sys


def write_trace(path):
    rng = random.Random(11)
    lines = []
    code = [0x400000 + 4096 * k for k in range(24)]
    for pages, n in ((range(0x10000, 0x10006), 3000), (range(0x20000, 0x20300), 3000),
                     (range(0x7f0000, 0x7f0000 + 4096, 512), 2000), (range(0x10000, 0x10040), 3000)):
        pages = list(pages)
        for _ in range(n):
            lines.append(f"I  {rng.choice(code) + rng.randrange(0, 4096, 4):x},4")
            kind = "L" if rng.random() < 0.7 else "S"
            lines.append(f" {kind} {rng.choice(pages) * 4096 + rng.randrange(0, 4096, 8):x},8")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def figures(j):
    keys = [k for k in j if k.startswith(("tlb.", "walks", "pte.", "pwc."))] + ["translations", "sfences", "sim.cycles"]
    return {k: j[k] for k in sorted(keys)}


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr}")
    return json.loads(r.stdout)


def main():
    vmsim, work, devices = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    trace = os.path.join(work, "fast.lackey")
    write_trace(trace)
    for device in devices:
        for size, phases in (("4k", []), ("2m", []), ("4k", ["--warmup", "5000", "--interval", "4000"])):
            base = [vmsim, "trace", trace, "--device", device, "--page-size", size, "--json", "--quiet", *phases]
            rtl = run(base + ["--premap", "--harness", "plain"])
            fast = run(base + ["--fast"])
            a, b = figures(rtl), figures(fast)
            if phases and rtl["intervals"] != fast["intervals"]:
                sys.exit(f"{os.path.basename(device)} {' '.join(phases)}: the interval rows differ:\n"
                         f"RTL  {rtl['intervals']}\nfast {fast['intervals']}")
            wrong = [k for k in a if a[k] != b.get(k)] + [k for k in b if k not in a]
            if wrong:
                sys.exit(f"{os.path.basename(device)} --page-size {size}: fast mode differs from the RTL in "
                         + ", ".join(f"{k} (RTL {a.get(k)}, fast {b.get(k)})" for k in wrong[:8]))
            print(f"ok: {os.path.basename(device)} {size} {' '.join(phases)}: {len(a)} figures equal "
                  f"({rtl['translations']} translations, {rtl['tlb.misses']} walks, {rtl['tlb.l2_hits']} L2 hits)")


if __name__ == "__main__":
    main()
