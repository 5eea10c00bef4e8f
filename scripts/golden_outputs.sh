#!/usr/bin/env bash
# golden_outputs.sh VMSIM OUTDIR [LACKEY_TRACE]
#
# Runs a fixed set of vmsim commands (every workload and mode of `run`,
# `trace` with every policy, `malloc` on every tests/data trace, `translate`
# on docs/examples) and writes each one's output to OUTDIR, with the
# wall-time figures removed, so that two builds can be compared with
#   diff -r OUT_BEFORE OUT_AFTER
# A change that should not change behaviour (a refactor) must give no diff.
# LACKEY_TRACE defaults to a trace recorded from `ls` with valgrind lackey.
set -u
V=$(realpath "$1")
O=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$O"
O=$(realpath "$O")
LACKEY=${3:-$O/ls.lackey}
if [[ ! -s $LACKEY ]]; then
  valgrind --tool=lackey --trace-mem=yes --log-file="$LACKEY" ls /usr/lib >/dev/null 2>&1
fi

# Drops the figures that depend on the host's speed (JSON keys, text lines).
normalize() {
  python3 -c '
import json, re, sys
wall = {"sim.wall_seconds", "sim.translations_per_s", "sim.cycles_per_s", "ops_per_s", "glibc.ops_per_s",
        "native_vs_glibc"}
text = sys.stdin.read()
try:
    j = json.loads(text)
    for k in wall:
        j.pop(k, None)
    print(json.dumps(j, sort_keys=True, indent=1))
except ValueError:
    for line in text.splitlines():
        if not re.match(r"^\s*(wall time|translations/s)\b", line):
            print(re.sub(r"[0-9.]+ ops/s", "N ops/s", line))
'
}

run() {
  local name=$1
  shift
  local out
  out=$("$V" "$@" 2>"$O/$name.err")
  local status=$?
  { normalize <<<"$out"; echo "exit $status"; } >"$O/$name.out"
}

run run_default run --json
run run_plain run --json --harness plain
for m in sv32 sv39 sv48 sv57; do run "run_$m" run --json --mode $m --accesses 200000; done
run run_sv57_svadu run --json --mode sv57 --svadu --pattern random --accesses 100000
run run_overcommit run --json --workload overcommit
run run_overcommit_plain_clock run --json --workload overcommit --harness plain --policy clock --accesses 60000
run run_malloc run --json --workload malloc
run run_malloc_pressure run --json --workload malloc --frames 1024 --calls 4000
run run_text run --accesses 20000 --pages 64
for p in active-inactive fifo clock lru opt; do
  run "trace_$p" trace "$LACKEY" --json --user-frames 64 --reclaim on-demand --policy $p
done
run trace_default trace "$LACKEY" --json
run trace_textbook trace "$ROOT/tests/data/silberschatz.lackey" --user-frames 3 --reclaim on-demand --policy fifo
run trace_oom trace "$ROOT/tests/cli/data/oom.lackey" --user-frames 3 --reclaim on-demand --swap-slots 2 \
  --harness plain --json
for t in "$ROOT"/tests/data/malloc/*.rep; do
  b=$(basename "$t" .rep)
  run "malloc_$b" malloc "$t" --json
  run "malloc_native_$b" malloc "$t" --json --native --seconds 0.01
done
EX=$ROOT/docs/examples
run translate_sv39 translate --image "$EX/sv39_image.txt" --satp 0x8000000000000010 --requests "$EX/sv39_requests.txt" -v
run translate_sv39_svadu translate --image "$EX/sv39_image.txt" --satp 0x8000000000000010 \
  --requests "$EX/sv39_requests.txt" --svadu --dump-image "$O/dump_svadu.image"
run translate_sv32 translate --xlen 32 --image "$EX/sv32_image.txt" --satp 0x80000020 --requests "$EX/sv32_requests.txt"
echo "golden_outputs: $(ls "$O"/*.out | wc -l) outputs in $O"
