#!/usr/bin/env python3
"""check_cva6_random.py VMSIM LIBCVA6: a random differential run on CVA6's MMU
finds each documented finding (docs/cva6.md, F1-F4), and nothing else: every
class of mismatch it reports is one the findings explain. A new class means
CVA6 or the adapter changed behaviour: read its first case and classify it."""
import json
import re
import subprocess
import sys

vmsim, lib = sys.argv[1], sys.argv[2]
run = subprocess.run([vmsim, "random", "--device", lib, "--mode", "sv39", "--seed", "1",
                      "--translations", "100000", "--json"], capture_output=True, text=True)
if run.returncode not in (0, 1):
    sys.exit(f"vmsim random exited {run.returncode}:\n{run.stderr}")
report = json.loads(run.stdout)
classes = report["check.mismatch_classes"]

# Each documented finding, as the classes it shows up in. A class names what
# the spec expected and what CVA6 gave ("expected napot (load_page_fault),
# got a translation").
FINDINGS = {
    "F1 reserved Svnapot encodings translate": r"expected napot \(\w+\), got a translation",
    "F2 non-canonical: walk fault reported": r"expected non_canonical \(\w+\), got a \w+_access_fault",
    "F3 reserved bits in a pointer ignored": r"expected pointer_bits \(\w+\), got (a translation|a \w+_access_fault)",
    "F4 MXR cleared: hit still reads": r"expected permission \(load_page_fault\), got a translation",
}
# F1 and F3 leave entries in the TLBs that the spec never allowed; later
# accesses, global entries in other address spaces among them, hit them.
CONSEQUENCES = r"expected (privilege|invalid|misaligned|pte_access|accessed_dirty|permission) \(\w+\), " \
               r"got a translation|expected a translation, got another physical address|" \
               r"expected pte_access \(\w+\), got a \w+_page_fault"

failed = False
for name, pattern in FINDINGS.items():
    n = sum(c for k, c in classes.items() if re.search(pattern, k))
    print(f"{name}: {n} mismatches")
    if n == 0:
        print(f"  not found: {name}")
        failed = True
for k, c in classes.items():
    if not any(re.search(p, k) for p in list(FINDINGS.values()) + [CONSEQUENCES]):
        print(f"unexplained class ({c}): {k}")
        failed = True
holes = report["coverage.holes"]
if holes:
    print("coverage holes:", holes)
    failed = True
print(f"{report['translations']} translations, {report['check.mismatches']} mismatches in {len(classes)} classes")
sys.exit(1 if failed else 0)
