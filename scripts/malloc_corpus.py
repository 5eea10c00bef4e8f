#!/usr/bin/env python3
"""malloc_corpus.py --out DIR [--seeds A:B] [--no-realloc]: writes program-like
malloc traces (CS:APP .rep format), one per seed, to compare allocators on
more shapes than tests/data/malloc holds. Deterministic: a seed always gives
the same trace.

Each seed picks one of five size distributions (mixed small/medium/page-sized;
log-normal, as measured programs' sizes are; power-of-two classes; uniform up
to 200 KB, across the mmap threshold; uniform small), a free rate of 30-50%,
a realloc rate of 0, 5 or 20% (growing by 1.2-2x, halving, or a fresh size),
and, now and then, a phase end that frees 90% of what is live. Used for the
"against glibc" figures in docs/malloc.md:

  scripts/malloc_corpus.py --out /tmp/corpus --seeds 0:60
  for t in /tmp/corpus/*.rep; do build/vmsim malloc $t --native --glibc --json; done
"""
import argparse
import os
import random


def size(rng, kind):
    if kind == 0:
        return rng.choice([rng.randint(1, 32), rng.randint(33, 256), rng.randint(257, 4096)])
    if kind == 1:
        return int(rng.lognormvariate(4.5, 1.5)) + 1
    if kind == 2:
        return rng.choice([16, 24, 32, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096])
    if kind == 3:
        return rng.randint(1, 200000)
    return rng.randint(1, 600)


def trace(seed, reallocs=True):
    rng, kind = random.Random(seed), seed % 5
    ops, live, sizes, nid = [], [], {}, 0
    steps = rng.randint(2000, 12000)
    p_free = rng.uniform(0.3, 0.5)
    p_realloc = rng.choice([0, 0.05, 0.2]) if reallocs else 0
    for _ in range(steps):
        r = rng.random()
        if live and r < p_free:
            ops.append(f"f {live.pop(rng.randrange(len(live)))}")
        elif live and r < p_free + p_realloc:
            i = rng.choice(live)
            grow = rng.random() < 0.8
            sizes[i] = max(1, int(sizes[i] * rng.choice([0.5, 1.2, 1.5, 2.0]))) if grow else size(rng, kind)
            ops.append(f"r {i} {sizes[i]}")
        else:
            sizes[nid] = size(rng, kind)
            ops.append(f"a {nid} {sizes[nid]}")
            live.append(nid)
            nid += 1
        if rng.random() < 0.0005:  # a phase ends: most of what is live goes
            rng.shuffle(live)
            cut = len(live) * 9 // 10
            ops.extend(f"f {i}" for i in live[:cut])
            live = live[cut:]
    ops.extend(f"f {i}" for i in live)
    return f"0\n{nid}\n{len(ops)}\n1\n" + "\n".join(ops) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seeds", default="0:60", help="A:B, seeds A to B-1")
    ap.add_argument("--no-realloc", action="store_true", help="malloc and free only")
    a = ap.parse_args()
    lo, hi = (int(x) for x in a.seeds.split(":"))
    os.makedirs(a.out, exist_ok=True)
    for seed in range(lo, hi):
        with open(os.path.join(a.out, f"g{seed}.rep"), "w") as f:
            f.write(trace(seed, not a.no_realloc))


if __name__ == "__main__":
    main()
