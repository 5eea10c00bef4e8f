#!/usr/bin/env python3
"""check_trace_formats.py VMSIM TRACE.lackey [--record]

One trace in every form vmsim reads -- lackey text, gzip, xz and zstd
compressed, vmsim's binary trace (vmsim convert), and that compressed --
must give the same report, every statistic equal (wall-clock figures
aside). With --record, the trace is first recorded from a real program
with `vmsim record` (valgrind lackey) instead.
"""
import json
import os
import subprocess
import sys
import tempfile

WALL_CLOCK = {"sim.cycles_per_s", "sim.translations_per_s", "sim.wall_seconds"}


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    return p.stdout


def report(vmsim, path):
    j = json.loads(run(vmsim, "trace", path, "--json", "--user-frames", "48"))
    return {k: v for k, v in j.items() if k not in WALL_CLOCK}


def main():
    vmsim, source = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as d:
        text = os.path.join(d, "t.lackey")
        if "--record" in sys.argv:
            out = run(vmsim, "record", "-o", text, "--", "/bin/ls", "/")
            assert "references" in out, out
            # Straight to the binary form, converted as valgrind writes it.
            direct = os.path.join(d, "direct.vtr.zst")
            out = run(vmsim, "record", "-o", direct, "--", "/bin/ls", "/")
            assert "references" in out, out
            j = report(vmsim, direct)
            assert j["check.mismatches"] == 0 and j["trace.references"] > 100000, j
        else:
            with open(source) as f, open(text, "w") as g:
                g.write(f.read())
        forms = [text]
        for tool, ext in (("gzip", ".gz"), ("xz", ".xz"), ("zstd", ".zst")):
            run(tool, "-k", "-q", text)
            forms.append(text + ext)
        binary = os.path.join(d, "t.vtr")
        run(vmsim, "convert", text, binary)
        run("zstd", "-k", "-q", binary)
        forms += [binary, binary + ".zst"]
        want = report(vmsim, text)
        assert want["check.mismatches"] == 0 and want["trace.references"] > 0, want
        for form in forms[1:]:
            got = report(vmsim, form)
            diff = {k: (want.get(k), got.get(k)) for k in set(want) | set(got) if want.get(k) != got.get(k)}
            if diff:
                sys.exit(f"{os.path.basename(form)} differs from the lackey text: {diff}")
        print(f"ok: {len(forms)} forms, {want['trace.references']} references, "
              f"{want['tlb.misses']} TLB misses, {want.get('faults.major', 0)} major faults, all equal")


if __name__ == "__main__":
    main()
