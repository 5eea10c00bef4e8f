#!/usr/bin/env python3
"""make synth: synthesise the MMU with Yosys 0.23 (generic gates, `synth
-flatten`) for several configurations and print cells and flip-flops of each.

    scripts/synth.py                       the default set (below)
    scripts/synth.py --config 16:64 --config 64x8,lru,16:64
        TLB:XLEN, the TLB as ENTRIES (fully associative tree PLRU) or as
        SETSxWAYS[,POLICY[,SUPER]] (policy plru/lru/fifo/random, SUPER entries
        in a superpage array)

The figures are Yosys's generic cell library (AND/OR/MUX/XOR gates, one cell
per flip-flop bit), no technology mapping: good for comparing configurations
(the area axis of a TLB sweep), not an absolute area. Results also go to
build/synth/synth.json, one object per configuration:
  {"tlb": "1x16,plru,0", "entries": 16, "sets": 1, "ways": 16, "policy": "plru",
   "super_entries": 0, "xlen": 64, "cells": N, "flip_flops": N, "share": true, "cell_types": {...}}
("share": false when Yosys ran out of memory in resource sharing and the
configuration was synthesised without it: a little more area than otherwise.)
Exit status 2 on bad usage or when Yosys fails.
"""
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import tlb_geometry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# (sets, ways, policy, superpage entries, xlen); the default first
DEFAULT_CONFIGS = [(1, 16, "plru", 0, 64), (1, 8, "plru", 0, 64), (1, 32, "plru", 0, 64),
                   (1, 16, "plru", 0, 32), (8, 4, "lru", 4, 64)]


def die(msg):
    print(f"synth: {msg}", file=sys.stderr)
    sys.exit(2)


def parse_config(text):
    m = re.fullmatch(r"(?:(\d+)|(\d+)x(\d+)(?:,(plru|lru|fifo|random))?(?:,(\d+))?):(32|64)", text)
    if not m:
        die(f"--config {text!r}: expected TLB:XLEN, the TLB as ENTRIES or SETSxWAYS[,POLICY[,SUPER]], "
            "for example 16:64 or 64x8,lru,16:64")
    if m.group(1):
        sets, ways, policy, sup = 1, int(m.group(1)), "plru", 0
    else:
        sets, ways, policy, sup = int(m.group(2)), int(m.group(3)), m.group(4) or "plru", int(m.group(5) or 0)
    if why := tlb_geometry.check(sets, ways, policy, sup, max_entries=4096):
        die(f"--config {text}: {why}")
    return sets, ways, policy, sup, int(m.group(6))


def memory_limit(jobs):
    """Bytes each Yosys may take: its share of 80% of the host's memory. A
    run that needs more fails cleanly instead of drawing the host's OOM
    killer (Yosys's SAT-based SHARE pass has taken 23 GB on a 16x4 TLB)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return int(total * 0.8 / max(1, jobs))


def run_yosys(script, log, limit):
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with open(log, "w") as f:
        return subprocess.run(["yosys", "-p", script], stdout=f, stderr=subprocess.STDOUT, preexec_fn=cap).returncode


def synthesise(config, out, limit):
    sets, ways, policy, sup, xlen = config
    tlb = f"{sets}x{ways},{policy},{sup}"
    with open(os.path.join(ROOT, "rtl", "mmu.f")) as f:
        files = " ".join(os.path.join(ROOT, line.strip()) for line in f if line.strip())
    name = f"{sets}x{ways}_{policy}_s{sup}_x{xlen}"
    stat = os.path.join(out, f"stat_{name}.txt")
    log = os.path.join(out, f"yosys_{name}.log")
    share = True
    for synth in ("synth -flatten", "synth -flatten -noshare"):
        script = (f"read_verilog -sv -I{os.path.join(ROOT, 'rtl')} {files}; "
                  f"chparam {tlb_geometry.chparam(sets, ways, policy, sup)} -set Xlen {xlen} mmu_top; "
                  f"{synth} -top mmu_top; tee -q -o {stat} stat")
        if run_yosys(script, log, limit) == 0:
            break
        # Out of memory in resource sharing: the figures without it are a
        # little larger, and marked so.
        share = False
    else:
        die(f"yosys failed for TLB {tlb}, XLEN {xlen} (with and without resource sharing); see {log}")
    types = {}
    cells = None
    for line in open(stat):
        m = re.match(r"\s+Number of cells:\s+(\d+)", line)
        if m:
            cells = int(m.group(1))
        m = re.match(r"\s+(\$_\w+)\s+(\d+)", line)
        if m:
            types[m.group(1)] = int(m.group(2))
    if cells is None:
        die(f"no cell count in {stat}")
    ffs = sum(n for t, n in types.items() if "DFF" in t or "DLATCH" in t)
    return {"tlb": tlb, "entries": sets * ways + sup, "sets": sets, "ways": ways, "policy": policy,
            "super_entries": sup, "xlen": xlen, "cells": cells, "flip_flops": ffs, "share": share,
            "cell_types": types}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", action="append", type=parse_config,
                    help="TLB:XLEN, TLB as ENTRIES or SETSxWAYS[,POLICY[,SUPER]] (repeatable)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "synth"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    if shutil.which("yosys") is None:
        die("yosys not found (make deps installs it)")
    os.makedirs(args.out, exist_ok=True)
    configs = args.config or DEFAULT_CONFIGS
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        limit = memory_limit(args.jobs)
        results = list(pool.map(lambda c: synthesise(c, args.out, limit), configs))
    print(f"{'tlb':>14} {'entries':>7} {'xlen':>4} {'cells':>8} {'flip-flops':>10}")
    for r in results:
        note = "" if r["share"] else "  (without resource sharing: Yosys ran out of memory with it)"
        print(f"{r['tlb']:>14} {r['entries']:>7} {r['xlen']:>4} {r['cells']:>8} {r['flip_flops']:>10}{note}")
    with open(os.path.join(args.out, "synth.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"(Yosys generic cells; details in {args.out}/synth.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
