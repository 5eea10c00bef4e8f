#!/bin/sh
# The waveform a tracing build writes is readable (docs/labs/waveform.md):
# 1 ps units with a cycle of 1000 of them, the walker's states named in the
# file, each TLB entry's fields as signals of their own, and the request
# visible at the edge that takes it. Needs fst2vcd (GTKWave's).
# Usage: check_waveform.sh VMSIM IMAGE
set -e
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '0x1008 r u\n' > "$dir/req.txt"
"$1" translate --image "$2" --satp 0x8000000000000010 --requests "$dir/req.txt" --trace "$dir/w.fst" \
  --tick-through-latency > /dev/null
fst2vcd -e "$dir/w.fst" > "$dir/w.vcd" 2> /dev/null
fail() { echo "check_waveform: $1" >&2; exit 1; }
grep -A1 'timescale' "$dir/w.vcd" | grep -q '1ps' || fail "the time unit is not 1 ps"
grep -q 'mmu_ptw.state_e 6 IDLE READ_REQ READ_WAIT WRITE_REQ WRITE_WAIT DONE' "$dir/w.vcd" ||
  fail "the walker's state has no names"
grep -q 'vpn_q\[0\]' "$dir/w.vcd" || fail "TLB entry 0's VPN is not a signal of its own"
# Every change of the clock at a multiple of 500 ps, rising on whole nanoseconds.
clk=$(awk '$1=="$var" && $5=="clk_i" {print $4; exit}' "$dir/w.vcd")
awk -v c="$clk" '/^#/ {t=substr($0,2)} $0==("1" c) && t%1000 {bad=1} END {exit bad}' "$dir/w.vcd" ||
  fail "the clock rises off whole nanoseconds"
req=$(awk '$1=="$var" && $5=="req_valid_i" {print $4; exit}' "$dir/w.vcd")
grep -qx "1$req" "$dir/w.vcd" || fail "req_valid_i never shows high"
echo "the waveform is readable"
