#!/usr/bin/env bash
# stream_trace.sh FILE PASSES MIB: writes a lackey trace that streams through
# MIB MiB from address 64 MiB, PASSES times, a load every 256 bytes.
set -eu
awk -v passes="$2" -v mib="$3" 'BEGIN {
  for (p = 0; p < passes; p++)
    for (i = 0; i < mib * 1048576; i += 256) printf(" L %x,8\n", 67108864 + i)
}' > "$1"
