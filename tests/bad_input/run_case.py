#!/usr/bin/env python3
"""run_case.py STATUS PATTERN MAX_MIB -- COMMAND...

One row of the bad-input catalogue: runs COMMAND and passes when it exits
STATUS, its output (stdout and stderr together) matches the extended regex
PATTERN, and its peak resident memory stayed at or below MAX_MIB MiB. (ctest's
TIMEOUT bounds its time.)
"""
import re
import resource
import subprocess
import sys


def main():
    want, pattern, max_mib = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    cmd = sys.argv[5:]
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # ru_maxrss is in KiB
    out = run.stdout
    problems = []
    if run.returncode != want:
        problems.append(f"exit status {run.returncode}, wanted {want}")
    if not re.search(pattern, out, re.MULTILINE):
        problems.append(f"output does not match /{pattern}/")
    if peak_mib > max_mib:
        problems.append(f"peak memory {peak_mib:.0f} MiB, more than {max_mib} MiB")
    if problems:
        print("; ".join(problems) + "; output:\n" + out[-4000:])
        return 1
    print(f"ok: status {run.returncode}, output matches /{pattern}/, peak memory {peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
