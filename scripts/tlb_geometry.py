"""The L1 TLB's geometry as scripts name it (formal.py, synth.py): sets x ways,
the set array's replacement policy, and the superpage array's entries, with
the rules rtl/mmu_tlb.sv enforces at elaboration. Policy numbers are
mmu_pkg's REPL_* (their index here)."""

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
