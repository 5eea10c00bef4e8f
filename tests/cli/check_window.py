#!/usr/bin/env python3
"""check_window.py VMSIM WORKDIR DEVICE

Several translations in flight, on a device with several walkers and request
slots. A trace of pages touched in bursts is replayed premapped with
--window 1 and --window 8:
- both check clean: no mismatch against the spec walk, no data mismatch;
- the same translations, and with the window fewer cycles (walks overlap,
  and hits are answered under them);
- with the window some misses merge (two requests to a page waiting on one
  walk), and two or more walkers are busy in some cycles; with one at a time
  neither happens, and the occupancy adds up: the busy walker-cycles are the
  sum of the cycles by number of walkers busy, weighted.
"""
import json
import random
import subprocess
import sys


def write_trace(path):
    rng = random.Random(5)
    lines = []
    for burst in range(400):
        base = 0x100000 + 0x200000 * (burst % 37)  # far apart: each page its own walk
        pages = [base + 4096 * rng.randrange(0, 64) for _ in range(3)]
        for _ in range(8):
            kind = "L" if rng.random() < 0.7 else "S"
            lines.append(f" {kind} {rng.choice(pages) + rng.randrange(0, 4096, 8):x},8")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run(vmsim, trace, device, window):
    cmd = [vmsim, "trace", trace, "--device", device, "--premap", "--window", str(window), "--json", "--quiet"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return json.loads(r.stdout)


def main():
    vmsim, work, device = sys.argv[1], sys.argv[2], sys.argv[3]
    import os
    os.makedirs(work, exist_ok=True)
    trace = os.path.join(work, "bursts.lackey")
    write_trace(trace)
    one, eight = run(vmsim, trace, device, 1), run(vmsim, trace, device, 8)
    problems = []
    for name, j in (("window 1", one), ("window 8", eight)):
        for k in ("check.mismatches", "check.data_mismatches"):
            if j.get(k, 0) != 0:
                problems.append(f"{name}: {k} = {j.get(k)}")
        if sum(j.get(f"walks.depth{n}", 0) for n in range(6)) != j["walks"]:
            problems.append(f"{name}: walks by depth do not add up to the {j['walks']} walks")
        by = j["walks.cycles_by_walkers_busy"]
        if sum((n + 1) * c for n, c in enumerate(by)) != j["walks.walker_busy_cycles"]:
            problems.append(f"{name}: cycles by walkers busy {by} do not add up to {j['walks.walker_busy_cycles']}")
    if one["translations"] != eight["translations"]:
        problems.append(f"translations differ: {one['translations']} vs {eight['translations']}")
    if not eight["sim.cycles"] < one["sim.cycles"]:
        problems.append(f"window 8 took {eight['sim.cycles']} cycles, window 1 {one['sim.cycles']}: no overlap")
    if one["walks.merged_misses"] != 0 or sum(one["walks.cycles_by_walkers_busy"][1:]) != 0:
        problems.append("window 1: merged misses or overlapping walks, with one translation at a time")
    if eight["walks.merged_misses"] == 0:
        problems.append("window 8: no miss merged")
    if sum(eight["walks.cycles_by_walkers_busy"][1:]) == 0:
        problems.append("window 8: never two walkers busy at once")
    if problems:
        sys.exit("\n".join(problems))
    print(f"ok: {one['translations']} translations; window 1: {one['sim.cycles']} cycles; window 8: "
          f"{eight['sim.cycles']} cycles, {eight['walks.merged_misses']} merged misses, walkers busy "
          f"{eight['walks.cycles_by_walkers_busy']} cycles (1, 2, 3 at once)")


if __name__ == "__main__":
    main()
