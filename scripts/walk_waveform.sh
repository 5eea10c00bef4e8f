#!/bin/sh
# Writes the waveform of docs/labs/waveform.md: one Sv39 page walk (VA 0x1008,
# a U-mode load, in docs/examples/sv39_image.txt) and a TLB hit after it,
# every cycle ticked. With GTKWave and xvfb-run installed (Debian: gtkwave,
# xvfb) it also draws the picture docs/images/walk-waveform.png.
#
# Usage: scripts/walk_waveform.sh [OUT_DIR]   (needs the tracing build: make trace)
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-.}
mkdir -p "$out"
cd "$out"
printf '0x1008 r u   # walks: three PTE reads\n0x1010 r u   # the same page: a TLB hit\n' > walk_requests.txt
"$root/build/vmsim" translate --image "$root/docs/examples/sv39_image.txt" --satp 0x8000000000000010 \
  --requests walk_requests.txt --trace walk.fst --tick-through-latency
if command -v gtkwave > /dev/null && command -v xvfb-run > /dev/null; then
  cat > walk_grab.tcl <<TCL
gtkwave::/Time/Zoom/Zoom_Best_Fit
gtkwave::/File/Grab_To_File "$root/docs/images/walk-waveform.png"
gtkwave::/File/Quit
TCL
  xvfb-run -a -s "-screen 0 1600x900x24" gtkwave -S walk_grab.tcl walk.fst "$root/docs/labs/walk.gtkw" > /dev/null 2>&1
  echo "wrote $root/docs/images/walk-waveform.png"
fi
