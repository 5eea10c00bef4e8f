#!/usr/bin/env bash
# check_exit.sh WANT_STATUS PATTERN -- COMMAND...
# Runs COMMAND; passes when it exits WANT_STATUS and its output (stdout and
# stderr together) matches the extended regex PATTERN.
set -u
want=$1 pattern=$2
shift 3
out=$("$@" 2>&1)
status=$?
if [[ $status -ne $want ]]; then
  echo "exit status $status, wanted $want; output:"; echo "$out"; exit 1
fi
if ! grep -Eq -- "$pattern" <<<"$out"; then
  echo "output does not match /$pattern/:"; echo "$out"; exit 1
fi
echo "ok: status $status, output matches /$pattern/"
