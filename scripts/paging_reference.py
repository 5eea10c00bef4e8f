#!/usr/bin/env python3
"""Textbook demand paging on a reference string: the independent oracle for
vmsim trace's classic counts (tests/cli/check_paging_oracle.py runs it against
vmsim; tests/rtl/test_trace_replay.cpp has its figures for the textbook strings).

Each reference is (page, is_write). N frames, evict only on a fault with no
free frame. Counts page-ins (faults) and dirty write-backs (evicting a page
written since it was loaded).

  fifo   evict the page loaded first
  lru    evict the page used least recently
  opt    evict the page used furthest in the future; ties -> loaded first
  clock  frames in a ring in load order; use bit set on load and on every
         reference; the hand clears set bits and takes the first clear one;
         the new page takes the victim's frame and the hand moves past it

usage: paging_reference.py POLICY FRAMES "7 0w 1 2 ..."  (w marks a write)
"""
import sys


def simulate(policy, frames, refs):
    resident = []          # pages, in load order (fifo/opt tie-break) or ring order (clock)
    dirty, use, last = {}, {}, {}
    hand = 0
    faults = writebacks = 0
    for i, (page, write) in enumerate(refs):
        if page not in resident:
            faults += 1
            if len(resident) == frames:
                if policy == "fifo":
                    victim = resident[0]
                elif policy == "lru":
                    victim = min(resident, key=lambda p: last[p])
                elif policy == "opt":
                    def next_use(p):
                        for j in range(i + 1, len(refs)):
                            if refs[j][0] == p:
                                return j
                        return float("inf")
                    victim = max(resident, key=lambda p: (next_use(p), -resident.index(p)))
                elif policy == "clock":
                    while use[resident[hand]]:
                        use[resident[hand]] = False
                        hand = (hand + 1) % frames
                    victim = resident[hand]
                if dirty.pop(victim, False):
                    writebacks += 1
                if policy == "clock":
                    resident[hand] = page
                    hand = (hand + 1) % frames
                else:
                    resident.remove(victim)
                    resident.append(page)
            else:
                resident.append(page)
        use[page] = True
        last[page] = i
        if write:
            dirty[page] = True
    return faults, writebacks


def parse(text):
    return [(int(t.rstrip("w")), t.endswith("w")) for t in text.split()]


if __name__ == "__main__":
    policy, frames, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print(*simulate(policy, frames, parse(text)))
