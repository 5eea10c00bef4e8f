#!/usr/bin/env python3
"""check_config_cache.py VMSIM CONFIG CACHE_DIR

--config builds a configuration's RTL once and caches it: two runs started
together build it once between them (the other waits on the lock), both
pass the random differential test on the built MMU with its geometry, and a
third run finds it and builds nothing.
"""
import json
import os
import shutil
import subprocess
import sys


def main():
    vmsim, config, cache = sys.argv[1:4]
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, VMSIM_CACHE_DIR=cache)
    cmd = [vmsim, "random", "--config", config, "--translations", "30000", "--json"]
    runs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outs = [r.communicate() for r in runs]
    for r, (out, err) in zip(runs, outs):
        if r.returncode != 0:
            sys.exit(f"a first run exited {r.returncode}:\n{out}\n{err}")
    builds = sum(err.count("building configuration") for _, err in outs)
    if builds != 1:
        sys.exit(f"{builds} builds for two concurrent runs, wanted 1:\n{outs[0][1]}\n{outs[1][1]}")
    with open(config) as f:
        c = json.load(f)

    def geometry(t):
        g = f"{t.get('sets', 1)}x{t.get('ways', 16)} {t.get('policy', 'plru')}"
        return g + (f" + {t['superpage_entries']} superpage" if t.get("superpage_entries") else "")

    # The hierarchy the file asks for, as the report names it.
    want = geometry(c["l1_tlb"])
    if "l1_itlb" in c or "l2_tlb" in c:
        want = ("L1D " if "l1_itlb" in c else "L1 ") + want
        if "l1_itlb" in c:
            want += ", L1I " + geometry(c["l1_itlb"])
        if "l2_tlb" in c:
            want += f", L2 {geometry(c['l2_tlb'])} ({c['l2_tlb'].get('latency', 2)} cycles)"
    if pwc := c.get("page_walk_caches"):
        want += "; PWC " + ", ".join(f"L{l[1]} {p['entries']} {p.get('policy', 'plru')}"
                                     for l, p in sorted(pwc.items()))
    for out, _ in outs:
        j = json.loads(out)
        if j["check.mismatches"] != 0 or j["tlb.geometry"] != want:
            sys.exit(f"wanted 0 mismatches on a device with a {want} TLB: {out}")
    third = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if third.returncode != 0 or "building" in third.stderr:
        sys.exit(f"the third run should load the cached build:\n{third.stdout}\n{third.stderr}")
    print(f"ok: {want}: built once for two concurrent runs, loaded from the cache by the third")


if __name__ == "__main__":
    main()
