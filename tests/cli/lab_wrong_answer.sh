#!/bin/sh
# A lab's grader on a copy of the reference solution with one thing changed:
# the first FROM in FILE becomes TO (a wrong answer, a CSV figure that is not
# what the re-run gives). The test then checks the part that must lose points.
# Usage: lab_wrong_answer.sh GRADER VMSIM SOLUTION_DIR FILE FROM TO
set -e
[ $# -eq 6 ] || { echo "usage: $0 GRADER VMSIM SOLUTION_DIR FILE FROM TO" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$3"/* "$dir"/
python3 - "$dir/$4" "$5" "$6" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
if old not in text:
    sys.exit(f"{path}: no '{old}' to change")
open(path, "w").write(text.replace(old, new, 1))
PY
python3 "$1" --vmsim "$2" --lab "$dir" --quiet
