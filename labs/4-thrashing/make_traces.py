#!/usr/bin/env python3
"""Writes lab 4's traces (valgrind lackey's text format).

Usage: make_traces.py DIR

ws-W.lackey, for each working set W in WORKING_SETS: a program that first
writes each of its W pages once (initialising its data), then makes 60,000
references to pages chosen uniformly at random among the W, 70% loads and
30% stores. Uniform choice keeps the arithmetic simple: with F frames for
these pages and W > F, a reference finds its page resident with probability
about F / W under any replacement policy that does not see the future.

Only Python's random.Random(seed).random() is used, whose sequence is the
same in every Python 3, so every machine gets the same bytes (the grader
writes them afresh).
"""
import os
import random
import sys

WORKING_SETS = (512, 640, 704, 736, 768, 800, 896, 1024, 1280)
PAGE = 4096
HEAP = 0x10000000
REFERENCES = 60000


def trace(w):
    r = random.Random(w)
    lines = [f" S {HEAP + p * PAGE:x},8\n" for p in range(w)]
    for _ in range(REFERENCES):
        page = int(r.random() * w)
        word = int(r.random() * 512)
        op = "S" if r.random() < 0.3 else "L"
        lines.append(f" {op} {HEAP + page * PAGE + word * 8:x},8\n")
    return "".join(lines)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_traces.py DIR")
    os.makedirs(sys.argv[1], exist_ok=True)
    for w in WORKING_SETS:
        with open(os.path.join(sys.argv[1], f"ws-{w}.lackey"), "w") as f:
            f.write(trace(w))
    print(f"{sys.argv[1]}: ws-W.lackey for W in {', '.join(map(str, WORKING_SETS))}")


if __name__ == "__main__":
    main()
