#!/usr/bin/env python3
"""make synth: synthesise the MMU with Yosys 0.23 (generic gates, `synth
-flatten`) for several configurations and print cells and flip-flops of each.

    scripts/synth.py                       the default set (below)
    scripts/synth.py --config 16:64 --config 64:64   ENTRIES:XLEN pairs

The figures are Yosys's generic cell library (AND/OR/MUX/XOR gates, one cell
per flip-flop bit), no technology mapping: good for comparing configurations
(the area axis of a TLB sweep), not an absolute area. Results also go to
build/synth/synth.json, one object per configuration:
  {"entries": 16, "xlen": 64, "cells": N, "flip_flops": N, "cell_types": {...}}
Exit status 2 on bad usage or when Yosys fails.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CONFIGS = [(16, 64), (8, 64), (32, 64), (16, 32)]  # the default first


def die(msg):
    print(f"synth: {msg}", file=sys.stderr)
    sys.exit(2)


def parse_config(text):
    m = re.fullmatch(r"(\d+):(32|64)", text)
    if not m:
        die(f"--config {text!r}: expected ENTRIES:XLEN, for example 16:64")
    entries, xlen = int(m.group(1)), int(m.group(2))
    if entries < 2 or entries & (entries - 1) or entries > 1024:
        die(f"--config {text}: ENTRIES must be a power of two from 2 to 1024")
    return entries, xlen


def synthesise(entries, xlen, out):
    with open(os.path.join(ROOT, "rtl", "mmu.f")) as f:
        files = " ".join(os.path.join(ROOT, line.strip()) for line in f if line.strip())
    stat = os.path.join(out, f"stat_e{entries}_x{xlen}.txt")
    script = (f"read_verilog -sv -I{os.path.join(ROOT, 'rtl')} {files}; "
              f"chparam -set Entries {entries} -set Xlen {xlen} mmu_top; "
              f"synth -flatten -top mmu_top; tee -q -o {stat} stat")
    log = os.path.join(out, f"yosys_e{entries}_x{xlen}.log")
    with open(log, "w") as f:
        r = subprocess.run(["yosys", "-p", script], stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        die(f"yosys failed for {entries} entries, XLEN {xlen}; see {log}")
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
    return {"entries": entries, "xlen": xlen, "cells": cells, "flip_flops": ffs, "cell_types": types}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", action="append", type=parse_config, help="ENTRIES:XLEN (repeatable)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "synth"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    if shutil.which("yosys") is None:
        die("yosys not found (make deps installs it)")
    os.makedirs(args.out, exist_ok=True)
    configs = args.config or DEFAULT_CONFIGS
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda c: synthesise(c[0], c[1], args.out), configs))
    print(f"{'entries':>7} {'xlen':>4} {'cells':>8} {'flip-flops':>10}")
    for r in results:
        print(f"{r['entries']:>7} {r['xlen']:>4} {r['cells']:>8} {r['flip_flops']:>10}")
    with open(os.path.join(args.out, "synth.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"(Yosys generic cells; details in {args.out}/synth.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
