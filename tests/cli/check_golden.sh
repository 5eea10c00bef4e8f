#!/usr/bin/env bash
# check_golden.sh EXPECTED_FILE [STATUS] -- COMMAND...: COMMAND must exit with
# STATUS (default 0) and print exactly EXPECTED_FILE on stdout.
set -u
expected=$1
status=0
if [ "$2" != "--" ]; then status=$2; shift; fi
shift 2
err=$(mktemp)
out=$("$@" 2>"$err")
got=$?
if [ "$got" -ne "$status" ]; then
  echo "command exited $got, expected $status:"; cat "$err"; rm -f "$err"; exit 1
fi
rm -f "$err"
if ! diff -u "$expected" <(printf '%s\n' "$out"); then echo "output differs from $expected"; exit 1; fi
echo "ok: output equals $expected"
