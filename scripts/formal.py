#!/usr/bin/env python3
"""make formal: prove the MMU's assertions by bounded model checking and show
that every cover is reachable, with Yosys 0.23, yosys-smtbmc and z3.

For each configuration (XLEN 64 and 32, a 4-entry TLB by default) it
1. reads rtl/ and formal/mmu_formal.sv with Yosys under -DFORMAL, flattens,
   drops logic that feeds no check, and writes an SMT-LIB2 model;
2. runs yosys-smtbmc to DEPTH steps from reset: every `MMU_ASSERT must hold
   in every step, under the `MMU_ASSUME protocol rules. A failure names the
   assertion and the step and writes a counterexample VCD;
3. runs yosys-smtbmc -c to the same depth: every `MMU_COVER must be reached.
Exit status 0 when every assertion holds and every cover is reached, 1 when
not, 2 on bad usage or a missing tool.

--drop NAME removes one assumption before proving (for the test that shows a
proof can fail: without NoSatpWriteInWalk, RefillNotDuplicate fails).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

import tlb_geometry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rtl_files():
    with open(os.path.join(ROOT, "rtl", "mmu.f")) as f:
        return [os.path.join(ROOT, line.strip()) for line in f if line.strip()]


def die(msg):
    print(f"formal: {msg}", file=sys.stderr)
    sys.exit(2)



def parse_geometry(text):
    """SETSxWAYS[:POLICY[:SUPER]], e.g. 2x2:lru:2; every number a power of two."""
    m = re.fullmatch(r"(\d+)x(\d+)(?::(\w+))?(?::(\d+))?", text)
    if not m:
        die(f"--geometry '{text}': SETSxWAYS[:POLICY[:SUPER]], e.g. 2x2:lru:2")
    geometry = int(m[1]), int(m[2]), m[3] or "plru", int(m[4] or 0)
    if why := tlb_geometry.check(*geometry):
        die(f"--geometry '{text}': {why}")
    return geometry


def write_model(out, xlen, geometry, drop, pwc, walkers):
    sets, ways, policy, sup = geometry
    smt2 = os.path.join(out, f"mmu_x{xlen}_{sets}x{ways}_{policy}_s{sup}_pwc{pwc}_w{walkers}.smt2")
    files = " ".join(rtl_files() + [os.path.join(ROOT, "formal", "mmu_formal.sv")])
    script = [
        f"read_verilog -formal -sv -I{os.path.join(ROOT, 'rtl')} {files}",
        f"chparam -set Xlen {xlen} -set PwcEntries {pwc} -set Slots {walkers} -set Walkers {walkers} "
        f"{tlb_geometry.chparam(*geometry)} mmu_formal",
        "prep -flatten -top mmu_formal",
        # A check that optimisation finds constant must still be reported
        # (an unreachable cover as not reached), never silently dropped.
        "setattr -set keep 1 t:$assert t:$assume t:$cover",
    ]
    if drop:
        script.append(f"select -assert-min 1 t:$assume n:*{drop}")
        script.append(f"delete t:$assume n:*{drop} %i")
    # The TLB's fields are memories (unpacked arrays): map them to flip-flops,
    # or every read port would seem to depend on every other's address.
    script += ["memory -nomap", "memory_map", "opt -full", "wreduce", "opt_clean", "async2sync", "dffunmap",
               f"write_smt2 -wires {smt2}"]
    log = os.path.join(out, f"yosys_x{xlen}.log")
    with open(log, "w") as f:
        r = subprocess.run(["yosys", "-p", "; ".join(script)], stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        die(f"yosys failed on the RTL (XLEN {xlen}); see {log}")
    return smt2


def properties(smt2, kind):
    names = []
    with open(smt2) as f:
        for line in f:
            m = re.match(rf"; yosys-smt2-{kind} \d+ (\S+)", line)
            if m:
                names.append(m.group(1).split("@")[0])
    return names


def smtbmc(smt2, depth, solver, extra, log):
    cmd = ["yosys-smtbmc", "-s", solver, "--unroll", "--noprogress", "-t", str(depth)] + extra + [smt2]
    start = time.monotonic()
    with open(log, "w") as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    text = open(log).read()
    return text, time.monotonic() - start


def prove(smt2, args, out, xlen):
    vcd = os.path.join(out, f"counterexample_x{xlen}.vcd")
    text, secs = smtbmc(smt2, args.depth, args.solver, ["--dump-vcd", vcd],
                        os.path.join(out, f"bmc_x{xlen}.log"))
    failed = re.findall(r"Assert failed in \S+: (\S+)", text)
    passed = "Status: PASSED" in text
    if not passed and not failed:
        die(f"yosys-smtbmc gave no verdict; see {out}/bmc_x{xlen}.log")
    return passed, failed, secs, vcd


def cover(smt2, args, out, xlen):
    text, secs = smtbmc(smt2, args.depth, args.solver, ["-c"], os.path.join(out, f"cover_x{xlen}.log"))
    reached = dict(re.findall(r"Reached cover statement at (\S+) in step (\d+)", text))
    return reached, secs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--depth", type=int, default=17, help="steps from reset (default 17: enough for the "
                    "longest walk, Sv57 with an A/D write-back, cover WalkLongest)")
    ap.add_argument("--geometry", default="1x4", help="the TLB: SETSxWAYS[:POLICY[:SUPER]] (default 1x4, "
                    "fully associative tree PLRU; e.g. 2x2:lru:2 adds a 2-entry superpage array)")
    ap.add_argument("--pwc", type=int, default=0, choices=[0, 1, 2, 4],
                    help="page-walk cache entries at levels 1 and 2 (level 1 only in Sv32; default 0: none)")
    ap.add_argument("--walkers", type=int, default=1, choices=[1, 2, 3, 4],
                    help="page-table walkers, and as many request slots (default 1: one translation at a time)")
    ap.add_argument("--xlen", type=int, action="append", choices=[32, 64],
                    help="configurations to prove (default both)")
    ap.add_argument("--solver", default="z3")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "formal"))
    ap.add_argument("--no-cover", action="store_true", help="prove assertions only")
    ap.add_argument("--drop", help="remove the assumption of this name first (to see a proof fail)")
    args = ap.parse_args()
    if args.depth < 1 or args.depth > 64:
        die(f"--depth {args.depth} out of range (1..64)")
    geometry = parse_geometry(args.geometry)
    for tool in ["yosys", "yosys-smtbmc", args.solver]:
        if shutil.which(tool) is None:
            die(f"{tool} not found (make deps installs yosys and z3)")
    os.makedirs(args.out, exist_ok=True)

    ok = True
    for xlen in args.xlen or [64, 32]:
        smt2 = write_model(args.out, xlen, geometry, args.drop, args.pwc, args.walkers)
        asserts = properties(smt2, "assert")
        covers = properties(smt2, "cover")
        print(f"== XLEN {xlen}, {args.geometry} TLB" + (f", {args.pwc}-entry page-walk caches" if args.pwc else "")
              + (f", {args.walkers} walkers" if args.walkers > 1 else "")
              + f", depth {args.depth}, solver {args.solver}"
              + (f", without assumption {args.drop}" if args.drop else ""))
        passed, failed, secs, vcd = prove(smt2, args, args.out, xlen)
        if passed:
            print(f"  {len(asserts)} assertions hold for {args.depth} steps from reset ({secs:.0f} s): "
                  + ", ".join(a.split(".")[-1] for a in asserts))
        else:
            ok = False
            print(f"  FAILED ({secs:.0f} s): {', '.join(failed)}; counterexample in {vcd}")
        if args.no_cover:
            continue
        reached, secs = cover(smt2, args, args.out, xlen)
        missing = [c for c in covers if c not in reached]
        print(f"  {len(reached)} of {len(covers)} covers reached within {args.depth} steps ({secs:.0f} s)")
        for c in covers:
            where = f"step {reached[c]}" if c in reached else "NOT REACHED"
            print(f"    {c.split('.')[-1]:<22} {where}")
        if missing:
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
