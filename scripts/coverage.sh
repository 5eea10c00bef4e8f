#!/usr/bin/env bash
# coverage.sh: RTL code coverage of the whole test suite.
#
# Builds the coverage flavour in build-coverage/ (Verilator --coverage: line,
# toggle and assertion points), runs every test with VMSIM_COVERAGE_DIR set so
# each RTL instance writes its counters, merges them with verilator_coverage
# into an lcov file, and renders HTML with genhtml.
#   output: build-coverage/coverage/index.html, build-coverage/rtl.info
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build-coverage
JOBS=${JOBS:-$(nproc)}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVMSIM_COVERAGE=ON >/dev/null
cmake --build "$BUILD" -j"$JOBS"
DATA="$PWD/$BUILD/coverage-data"
rm -rf "$DATA" "$BUILD/coverage"
mkdir -p "$DATA"
(cd "$BUILD" && VMSIM_COVERAGE_DIR="$DATA" ctest -j"$JOBS" --output-on-failure)
verilator_coverage --write "$BUILD/rtl.dat" "$DATA"/*.dat
verilator_coverage --write-info "$BUILD/rtl.info" "$BUILD/rtl.dat"
# Annotated sources with per-line counts, for a quick look without a browser.
verilator_coverage --annotate "$BUILD/annotated" --annotate-min 1 "$BUILD/rtl.dat" >/dev/null
genhtml --quiet --title "vmsim RTL coverage" --output-directory "$BUILD/coverage" "$BUILD/rtl.info"
echo
lcov --summary "$BUILD/rtl.info" 2>&1 | grep -E "lines|functions|branches" || true
echo "report: $BUILD/coverage/index.html"
