#!/usr/bin/env python3
"""Writes vmsim's malloc-lab style traces (tests/data/malloc/*.rep).

The CS:APP traces may not be redistributed, so these are our own, covering
the classic patterns. Deterministic (fixed seeds): rerun to regenerate.

  alternating.rep  small and large blocks alternate; the small ones are freed,
                   then larger ones must fit in their holes (binary-bal)
  lockstep.rep     small and large blocks alternate; the large ones are freed,
                   then blocks a little larger than them must find room: they
                   fit only where freed neighbours merged (binary-bal's shape)
  coalesce.rep     many neighbours freed in an order that needs coalescing
                   both ways, then blocks that only fit in the merged space
  realloc.rep      realloc chains growing by steps, interleaved (realloc-bal)
  random.rep       random allocations and frees of mixed sizes (random-bal)
  tiny.rep         many tiny objects with short lives (fast bins, tcache)
  large.rep        blocks either side of the mmap threshold, freed and reused
  realloc_large.rep  four blocks above the mmap threshold grown and shrunk by
                   realloc (mostly grown), 300 times: what mremap is for
  short.rep        a short program, as recorded from a real one: start-up
                   strings and tables, a buffer grown by realloc from NULL,
                   free(NULL) (`f -1`) and malloc(0) (`a ID`), and blocks
                   still live at exit (never freed)
"""
import os
import random

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "malloc")


def line(op):
    kind, i, size = op
    if kind == "f" or (kind == "a" and size is None):  # free, or malloc(0) written as real traces do
        return f"{kind} {i}\n"
    return f"{kind} {i} {size}\n"


def write(name, ops, weight=1):
    ids = 1 + max(op[1] for op in ops)
    with open(os.path.join(OUT, name), "w") as f:
        f.write(f"{sum(op[2] or 0 for op in ops if op[0] == 'a')}\n{ids}\n{len(ops)}\n{weight}\n")
        for op in ops:
            f.write(line(op))


def alternation(n, small, large, freed, then):
    """n blocks, small and large in turn; the `freed` ones ("small" or
    "large") are freed, then as many blocks of `then` bytes are allocated."""
    ops = [("a", i, small if i % 2 == 0 else large) for i in range(n)]
    first = 0 if freed == "small" else 1
    ops += [("f", i, 0) for i in range(first, n, 2)]
    ops += [("a", n + k, then) for k in range(n // 2)]
    return ops


def alternating():
    return alternation(1200, 64, 448, "small", 72)


def lockstep():
    n = 1600
    ops = alternation(n, 40, 360, "large", 420)
    return ops + [("f", i, 0) for i in list(range(0, n, 2)) + list(range(n, n + n // 2))]


def coalesce():
    ops, n = [], 1500
    for i in range(n):
        ops.append(("a", i, 96 + 16 * (i % 5)))
    for i in range(1, n, 2):
        ops.append(("f", i, 0))
    for i in range(0, n, 2):
        ops.append(("f", i, 0))
    for j in range(n // 4):
        ops.append(("a", n + j, 480))
    return ops


def realloc_chains():
    ops, rng = [], random.Random(3)
    sizes = {}
    for i in range(60):
        ops.append(("a", i, 16)); sizes[i] = 16
    for step in range(40):
        for i in range(60):
            sizes[i] += rng.choice([16, 48, 96, 200])
            ops.append(("r", i, sizes[i]))
        ops.append(("a", 100 + step, 128))  # a small block between the growing ones
    for i in range(60):
        ops.append(("f", i, 0))
    return ops


def random_mix():
    ops, rng, live, nid = [], random.Random(7), [], 0
    for _ in range(6000):
        if live and rng.random() < 0.45:
            i = live.pop(rng.randrange(len(live)))
            ops.append(("f", i, 0))
        else:
            size = rng.choice([rng.randint(1, 64), rng.randint(65, 1024), rng.randint(1025, 16384)])
            ops.append(("a", nid, size)); live.append(nid); nid += 1
    for i in live:
        ops.append(("f", i, 0))
    return ops


def tiny():
    ops, rng, live, nid = [], random.Random(11), [], 0
    for _ in range(12000):
        if len(live) > 200 and rng.random() < 0.5:
            i = live.pop(rng.randrange(len(live)))
            ops.append(("f", i, 0))
        else:
            ops.append(("a", nid, rng.choice([8, 12, 16, 24, 32, 40]))); live.append(nid); nid += 1
    for i in live:
        ops.append(("f", i, 0))
    return ops


def large():
    ops, rng, nid = [], random.Random(5), 0
    live = []
    for round_ in range(30):
        for _ in range(6):
            size = rng.choice([64 * 1024, 120 * 1024, 140 * 1024, 300 * 1024, 2000])
            ops.append(("a", nid, size)); live.append(nid); nid += 1
        for _ in range(4):
            ops.append(("f", live.pop(rng.randrange(len(live))), 0))
    for i in live:
        ops.append(("f", i, 0))
    return ops


def realloc_large():
    ops, rng = [], random.Random(12)
    sizes = {}
    for i in range(4):
        sizes[i] = 200_000 + i * 10_000
        ops.append(("a", i, sizes[i]))
    for _ in range(300):
        i = rng.randrange(4)
        step = rng.choice([-1, 1, 1, 1]) * rng.randrange(4096, 65536)
        sizes[i] = min(2_000_000, max(140_000, sizes[i] + step))
        ops.append(("r", i, sizes[i]))
    for i in range(4):
        ops.append(("f", i, 0))
    return ops


def short_program():
    ops, rng = [], random.Random(13)
    nxt = 0
    live = []
    for _ in range(40):  # start-up: strings and small tables, some freed at once
        ops.append(("a", nxt, rng.choice([5, 12, 24, 40, 64, 100, 120, 256, 480])))
        if rng.random() < 0.3:
            ops.append(("f", nxt, 0))
        else:
            live.append(nxt)
        nxt += 1
    ops.append(("a", nxt, None))  # malloc(0)
    live.append(nxt)
    nxt += 1
    buf = nxt  # a buffer grown from NULL by realloc, as a line reader grows its line
    nxt += 1
    size = 120
    for _ in range(9):
        ops.append(("r", buf, size))
        size *= 2
    ops.append(("a", nxt, 32768))  # a directory buffer, used and freed
    ops.append(("f", nxt, 0))
    nxt += 1
    ops.append(("f", -1, 0))  # free(NULL)
    for i in live[: len(live) // 2]:  # exit: half the blocks are freed, the rest live on
        ops.append(("f", i, 0))
    ops.append(("f", buf, 0))
    return ops


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("alternating.rep", alternating())
    write("lockstep.rep", lockstep())
    write("coalesce.rep", coalesce())
    write("realloc.rep", realloc_chains())
    write("random.rep", random_mix())
    write("tiny.rep", tiny())
    write("large.rep", large())
    write("realloc_large.rep", realloc_large())
    write("short.rep", short_program())
