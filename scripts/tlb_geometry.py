"""A TLB's geometry as scripts name it (formal.py, synth.py): sets x ways,
the set array's replacement policy, and the superpage array's entries, with
the rules rtl/mmu_tlb.sv enforces at elaboration. Policy numbers are
mmu_pkg's REPL_* (their index here). A hierarchy (rtl/mmu_top.sv) is the L1
data TLB's geometry, and optionally the L1 instruction TLB's, the L2's with
its latency, and the walker's page-walk caches ("pwc": {level: (entries,
policy)}, levels 1..4)."""

POLICIES = ["plru", "lru", "fifo", "random"]


def check(sets, ways, policy, sup, max_entries=None):
    """The reason (sets, ways, policy, sup) is no geometry mmu_tlb accepts (or
    has more than max_entries entries), or None."""
    pow2 = lambda n: n >= 1 and n & (n - 1) == 0
    if policy not in POLICIES:
        return f"policy {policy!r} is none of {', '.join(POLICIES)}"
    if not (pow2(sets) and pow2(ways)) or (sup and (sup < 2 or not pow2(sup))):
        return "sets, ways and superpage entries must be powers of two"
    if sets > 1 and not sup:
        return "a set-associative TLB needs a superpage array"
    entries = sets * ways + sup
    if entries < 2 or (max_entries and entries > max_entries):
        return f"from 2 to {max_entries} entries" if max_entries else "at least 2 entries"
    return None


def chparam(sets, ways, policy, sup):
    """Yosys chparam arguments that set the geometry on mmu_top (or mmu_formal)."""
    return f"-set Sets {sets} -set Ways {ways} -set Policy {POLICIES.index(policy)} -set SuperEntries {sup}"


# mmu_top's parameter names per TLB: the L1 data TLB, the instruction TLB, the L2.
PREFIXES = {"l1": "", "l1i": "I", "l2": "L2"}


def chparam_hierarchy(h):
    """chparam arguments for a hierarchy: {"l1": (sets, ways, policy, sup),
    "l1i": ... or None, "l2": ... or None, "l2_latency": n}."""
    args = []
    for level, prefix in PREFIXES.items():
        g = h.get(level)
        if g is None:
            continue
        sets, ways, policy, sup = g
        args.append(f"-set {prefix}Sets {sets} -set {prefix}Ways {ways} "
                    f"-set {prefix}Policy {POLICIES.index(policy)} -set {prefix}SuperEntries {sup}")
    if h.get("l2") is not None:
        args.append(f"-set L2Latency {h.get('l2_latency', 2)}")
    for level, (n, policy) in sorted(h.get("pwc", {}).items()):
        args.append(f"-set Pwc{level}Entries {n} -set Pwc{level}Policy {POLICIES.index(policy)}")
    if h.get("walkers", 1) > 1 or h.get("slots", 1) > 1:
        args.append(f"-set Walkers {h.get('walkers', 1)} -set Slots {h.get('slots', 1)}")
    return " ".join(args)


def key(h):
    """The hierarchy as one string: "16x4,plru,32" for an L1 alone, else with
    ";i=SETSxWAYS,POLICY,SUP" and ";l2=SETSxWAYS,POLICY,SUP,LATENCY" added."""
    g = lambda t: f"{t[0]}x{t[1]},{t[2]},{t[3]}"
    k = g(h["l1"])
    if h.get("l1i") is not None:
        k += ";i=" + g(h["l1i"])
    if h.get("l2") is not None:
        k += f";l2={g(h['l2'])},{h.get('l2_latency', 2)}"
    for level, (n, policy) in sorted(h.get("pwc", {}).items()):
        k += f";pwc{level}={n},{policy}"
    if h.get("walkers", 1) > 1 or h.get("slots", 1) > 1:
        k += f";walkers={h.get('walkers', 1)},{h.get('slots', 1)}"
    return k


def entries(h):
    """TLB entries (page-walk cache entries are not translations)."""
    return sum(t[0] * t[1] + t[3] for t in (h.get("l1"), h.get("l1i"), h.get("l2")) if t is not None)
