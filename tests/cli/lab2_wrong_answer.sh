#!/bin/sh
# Lab 2's grader on a copy of the reference solution with one thing wrong:
# "knee" (matmul's knee answered 64) must cost that knee's 10 points, "csv"
# (one job's misses in entries.csv changed by one) the CSV's 6.7.
# Usage: lab2_wrong_answer.sh GRADER VMSIM SOLUTION_DIR knee|csv
set -e
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$3"/* "$dir"/
case "$4" in
  knee) sed -i 's/^knee.matmul = 128/knee.matmul = 64/' "$dir/answers.txt" ;;
  csv) python3 - "$dir/entries.csv" <<'PY' ;;
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
rows[0]["tlb.misses"] = str(int(rows[0]["tlb.misses"]) + 1)
with open(sys.argv[1], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
PY
  *) echo "usage: $0 GRADER VMSIM SOLUTION_DIR knee|csv" >&2; exit 2 ;;
esac
python3 "$1" --vmsim "$2" --lab "$dir" --quiet
