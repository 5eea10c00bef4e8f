#!/usr/bin/env bash
# check_golden.sh EXPECTED_FILE -- COMMAND...: COMMAND must exit 0 and print
# exactly EXPECTED_FILE on stdout.
set -u
expected=$1
shift 2
if ! out=$("$@" 2>/tmp/vmsim_golden_err.$$); then
  echo "command failed:"; cat /tmp/vmsim_golden_err.$$; rm -f /tmp/vmsim_golden_err.$$; exit 1
fi
rm -f /tmp/vmsim_golden_err.$$
if ! diff -u "$expected" <(printf '%s\n' "$out"); then echo "output differs from $expected"; exit 1; fi
echo "ok: output equals $expected"
