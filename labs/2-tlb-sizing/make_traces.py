#!/usr/bin/env python3
"""Writes lab 2's three address traces (valgrind lackey's text format).

Usage: make_traces.py DIR

Each trace is what a small program's data references would be, generated
from the program's loops rather than recorded, so every machine gets the same
bytes (the grader writes them afresh and re-runs your sweeps on them):

  matmul.lackey    C = A x B for 64 x 64 doubles, i-j-k order, each matrix row
                   on its own page (a leading dimension of 512 doubles): the
                   inner loop walks a column of B, one page per step.
  hashjoin.lackey  a hash join: a build pass writing a 1 MiB hash table, then
                   a stream of keys (skewed: a few keys are probed most) each
                   probing its bucket, and a match written out for one in four.
  listwalk.lackey  25 traversals of a linked list of 2,000 nodes scattered over
                   24 pages, summing each node's value into a stack variable.

Only Python's random.Random(seed).random() is used, whose sequence is the
same in every Python 3.
"""
import bisect
import os
import random
import sys

PAGE = 4096
HEAP = 0x10000000   # where each program's data starts
STACK = 0x7ff000000  # one stack page


def matmul(out):
    n, ld = 64, 512                    # doubles; a row is one page
    a, b, c = HEAP, HEAP + n * PAGE, HEAP + 2 * n * PAGE
    for i in range(n):
        for j in range(n):
            for k in range(n):
                out.append(("L", a + (i * ld + k) * 8))
                out.append(("L", b + (k * ld + j) * 8))
            out.append(("S", c + (i * ld + j) * 8))


def hashjoin(out):
    r = random.Random(2)
    buckets = 1 << 14                  # 64-byte buckets: 256 pages
    # The table straddles a 2 MiB boundary, the keys and the output each 1 GiB
    # further: four leaf page tables take turns, which a page-walk cache sees.
    table, keys, output = HEAP + 0x180000, HEAP + 0x40000000, HEAP + 0x80000000
    for bkt in range(0, buckets, 8):   # the build pass, a store per 512 bytes
        out.append(("S", table + bkt * 64))
    distinct = 20000                   # probe keys: Zipf(1) over 20,000 keys
    cdf, total = [], 0.0
    for rank in range(1, distinct + 1):
        total += 1.0 / rank
        cdf.append(total)
    scramble = random.Random(3)
    bucket_of = [int(scramble.random() * buckets) for _ in range(distinct)]
    for i in range(150000):
        out.append(("L", keys + i * 8))  # the input stream
        key = bisect.bisect_left(cdf, r.random() * total)
        out.append(("L", table + bucket_of[min(key, distinct - 1)] * 64))
        if i % 4 == 0:
            out.append(("S", output + i * 4))  # a match: 16 bytes out


def listwalk(out):
    r = random.Random(4)
    nodes, pages = 2000, 24
    slots = list(range(pages * PAGE // 64))  # 64-byte nodes anywhere in 24 pages
    for i in range(len(slots) - 1, 0, -1):   # Fisher-Yates with random() alone
        j = int(r.random() * (i + 1))
        slots[i], slots[j] = slots[j], slots[i]
    order = [HEAP + s * 64 for s in slots[:nodes]]
    for _ in range(25):
        for node in order:
            out.append(("L", node))         # node->value
            out.append(("L", node + 8))     # node->next
            out.append(("S", STACK + 0x10))  # sum += value


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_traces.py DIR")
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, program in (("matmul", matmul), ("hashjoin", hashjoin), ("listwalk", listwalk)):
        refs = []
        program(refs)
        path = os.path.join(sys.argv[1], name + ".lackey")
        with open(path, "w") as f:
            f.write("".join(f" {op} {addr:x},8\n" for op, addr in refs))
        print(f"{path}: {len(refs)} references")


if __name__ == "__main__":
    main()
