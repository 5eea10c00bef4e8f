#!/usr/bin/env python3
"""make synth: synthesise the MMU with Yosys 0.23 (generic gates, `synth
-flatten`) for several configurations and print cells and flip-flops of each.

    scripts/synth.py                       the default set (below)
    scripts/synth.py --config 16:64 --config 64x8,lru,16:64
        TLB:XLEN, the TLB as ENTRIES (fully associative tree PLRU) or as
        SETSxWAYS[,POLICY[,SUPER]] (policy plru/lru/fifo/random, SUPER entries
        in a superpage array)
    scripts/synth.py --config "16x4,plru,32;i=16x8,plru,8;l2=128x8,plru,16,9:64"
        a hierarchy: the L1 data TLB, then ";i=" the L1 instruction TLB and
        ";l2=" the L2 TLB with its latency (either may be left out; "/" may
        stand for ";")

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
DEFAULT_CONFIGS = [({"l1": g}, xlen) for g, xlen in [((1, 16, "plru", 0), 64), ((1, 8, "plru", 0), 64),
                                                       ((1, 32, "plru", 0), 64), ((1, 16, "plru", 0), 32),
                                                       ((8, 4, "lru", 4), 64)]]


def die(msg):
    print(f"synth: {msg}", file=sys.stderr)
    sys.exit(2)


TLB = r"(?:(\d+)|(\d+)x(\d+)(?:,(plru|lru|fifo|random))?(?:,(\d+))?)"


def parse_tlb(text, where):
    m = re.fullmatch(TLB, text)
    if not m:
        die(f"--config {where!r}: {text!r} is not ENTRIES or SETSxWAYS[,POLICY[,SUPER]]")
    if m.group(1):
        g = (1, int(m.group(1)), "plru", 0)
    else:
        g = (int(m.group(2)), int(m.group(3)), m.group(4) or "plru", int(m.group(5) or 0))
    if why := tlb_geometry.check(*g, max_entries=8192):
        die(f"--config {where}: {text}: {why}")
    return g


def parse_config(text):
    """"L1[;i=L1I][;l2=L2,LATENCY][;pwcN=ENTRIES[,POLICY]]...[;walkers=W,S]:XLEN" as (hierarchy, xlen)."""
    m = re.fullmatch(r"([^:]+):(32|64)", text)
    if not m:
        die(f"--config {text!r}: expected TLB:XLEN, the TLB as ENTRIES or SETSxWAYS[,POLICY[,SUPER]], "
            "for example 16:64 or 64x8,lru,16:64, or a hierarchy (see --help)")
    parts = re.split(r"[;/]", m.group(1))  # "/" too: no quoting in shells and CMake
    h = {"l1": parse_tlb(parts[0], text)}
    for part in parts[1:]:
        if part.startswith("i="):
            h["l1i"] = parse_tlb(part[2:], text)
        elif re.fullmatch(r"pwc[1-4]=\d+(,(plru|lru|fifo|random))?", part):
            n, _, policy = part[5:].partition(",")
            if int(n) < 1 or int(n) > 256 or int(n) & (int(n) - 1):
                die(f"--config {text!r}: {part!r}: a page-walk cache has 1 to 256 entries, a power of two")
            h.setdefault("pwc", {})[int(part[3])] = (int(n), policy or "plru")
        elif m2 := re.fullmatch(r"walkers=(\d+),(\d+)", part):
            w, s = int(m2[1]), int(m2[2])
            if not 1 <= w <= 8 or not w <= s <= 16:
                die(f"--config {text!r}: {part!r}: walkers=W,S with 1 <= W <= 8 walkers and W <= S <= 16 slots")
            h["walkers"], h["slots"] = w, s
        elif part.startswith("l2="):
            body, _, latency = part[3:].rpartition(",")
            if not latency.isdigit() or not 1 <= int(latency) <= 255:
                die(f"--config {text!r}: l2= ends with the latency in cycles (1..255)")
            h["l2"], h["l2_latency"] = parse_tlb(body, text), int(latency)
        else:
            die(f"--config {text!r}: {part!r} is none of i=..., l2=..., pwcN=ENTRIES[,POLICY], walkers=W,S")
    return h, int(m.group(2))


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
    h, xlen = config
    tlb = tlb_geometry.key(h)
    sets, ways, policy, sup = h["l1"]
    with open(os.path.join(ROOT, "rtl", "mmu.f")) as f:
        files = " ".join(os.path.join(ROOT, line.strip()) for line in f if line.strip())
    name = re.sub(r"[^0-9a-z]+", "_", tlb) + f"_x{xlen}"
    stat = os.path.join(out, f"stat_{name}.txt")
    log = os.path.join(out, f"yosys_{name}.log")
    share = True
    for synth in ("synth -flatten", "synth -flatten -noshare"):
        script = (f"read_verilog -sv -I{os.path.join(ROOT, 'rtl')} {files}; "
                  f"chparam {tlb_geometry.chparam_hierarchy(h)} -set Xlen {xlen} mmu_top; "
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
    return {"tlb": tlb, "entries": tlb_geometry.entries(h), "sets": sets, "ways": ways, "policy": policy,
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
