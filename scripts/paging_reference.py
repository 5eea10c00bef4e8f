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
  dueling
         vmsim's adaptive policy, written here from its rule in
         docs/runtime.md: the use bits of all resident pages are read and
         cleared at each fault that must evict and after every 8192nd
         reference made while resident pages fill at least half the
         frames; two rankings (recency by interval with the pages seen in
         fewer intervals first and then the latest seen first, and LRU-2)
         each run a shadow cache of that many frames on what was seen; the
         one with fewer misses (decayed by 0.99 per fault; a tie: the
         first) picks the victim; a page neither resident nor in a shadow
         cache is forgotten

usage: paging_reference.py POLICY FRAMES "7 0w 1 2 ..."  (w marks a write)
"""
import sys


NEVER = float("-inf")


class Dueling:
    """The observed history of every page, two shadow caches, and the choice."""

    def __init__(self, frames):
        self.frames = frames
        self.interval = 0
        self.counter = 0
        self.last, self.prev, self.count, self.seq = {}, {}, {}, {}
        self.shadow = [set(), set()]
        self.misses = [0.0, 0.0]
        self.resident = set()

    def forget_if_unused(self, page):
        if page in self.resident or any(page in cache for cache in self.shadow):
            return
        for history in (self.last, self.prev, self.count, self.seq):
            history.pop(page, None)

    def rank(self, which, page):
        last, seq = self.last[page], self.seq[page]
        if which == 0:
            return (last, self.count[page], -seq)
        return (self.prev.get(page, NEVER), last, seq)

    def seen(self, page):
        if self.last.get(page) != self.interval:
            self.count[page] = self.count.get(page, 0) + 1
            if page in self.last:
                self.prev[page] = self.last[page]
            self.last[page] = self.interval
        self.counter += 1
        self.seq[page] = self.counter
        for which, cache in enumerate(self.shadow):
            if page in cache:
                continue
            self.misses[which] += 1
            cache.add(page)
            if len(cache) > self.frames:
                out = min(cache, key=lambda q: self.rank(which, q))
                cache.remove(out)
                self.forget_if_unused(out)

    def fault(self, page):
        self.resident.add(page)
        self.interval += 1
        self.seen(page)
        self.misses = [m * 0.99 for m in self.misses]

    def scan(self, resident, use):
        for page in sorted(resident, key=lambda q: self.seq[q]):
            if use[page]:
                use[page] = False
                self.seen(page)

    def tick(self, resident, use):
        self.interval += 1
        self.scan(resident, use)

    def victim(self, resident, use):
        self.scan(resident, use)
        best = 1 if self.misses[1] < self.misses[0] else 0
        victim = min(resident, key=lambda q: self.rank(best, q))
        self.resident.discard(victim)
        self.forget_if_unused(victim)
        return victim


AGING_PERIOD = 8192  # references between the dueling policy's timer ticks
# The timer counts only references made while the resident pages fill at
# least half the frames (memory pressure is coming); before that nothing ages.


def simulate(policy, frames, refs):
    duel = Dueling(frames)
    resident = []          # pages, in load order (fifo/opt tie-break) or ring order (clock)
    dirty, use, last = {}, {}, {}
    hand = 0
    faults = writebacks = 0
    since_tick = 0
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
                elif policy == "dueling":
                    victim = duel.victim(resident, use)
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
            duel.fault(page)
        use[page] = True
        last[page] = i
        if write:
            dirty[page] = True
        if policy == "dueling" and 2 * len(resident) >= frames:
            since_tick += 1
            if since_tick == AGING_PERIOD:
                since_tick = 0
                duel.tick(resident, use)
    return faults, writebacks


def parse(text):
    return [(int(t.rstrip("w")), t.endswith("w")) for t in text.split()]


if __name__ == "__main__":
    policy, frames, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print(*simulate(policy, frames, parse(text)))
