#!/usr/bin/env python3
"""check_overcommit.py VMSIM [ARGS...]: the acceptance run of the memory
manager. `vmsim run --workload overcommit --json` must show swap-outs,
swap-ins, major faults, both reclaim paths and at least one OOM kill, with
no data or checker mismatch and a clean audit."""
import json
import subprocess
import sys

out = subprocess.run([sys.argv[1], "run", "--workload", "overcommit", "--json", *sys.argv[2:]],
                     capture_output=True, text=True)
if out.returncode != 0:
    sys.exit(f"vmsim exited {out.returncode}:\n{out.stdout[-3000:]}\n{out.stderr[-2000:]}")
r = json.loads(out.stdout)
nonzero = ["swap.outs", "swap.ins", "faults.major", "reclaim.background_pages", "reclaim.direct_pages", "oom.kills"]
zero = ["check.data_mismatches", "check.mismatches"]
bad = [f"{k} = {r[k]} (want > 0)" for k in nonzero if r[k] <= 0]
bad += [f"{k} = {r[k]} (want 0)" for k in zero if r[k] != 0]
if not r["audit.clean"]:
    bad.append(f"audit: {r.get('audit.problems')}")
if r["overcommit.working_set_pages"] < 4 * r["frames.total"]:
    bad.append("working sets are not four times memory")
if bad:
    sys.exit("\n".join(bad))
print("ok: " + ", ".join(f"{k} {r[k]}" for k in nonzero) + ", 0 mismatches, audit clean")
