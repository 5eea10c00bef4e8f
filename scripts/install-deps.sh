#!/usr/bin/env bash
# Installs the Debian packages vmsim needs, only those that are missing.
# Idempotent: when everything is present it checks with dpkg-query and exits
# in well under a second, without touching the network.
set -euo pipefail

# Build and run: compiler, build system, RTL simulator, SystemC/TLM, libraries,
# zlib, liblzma and libzstd (compressed traces).
# Tools: valgrind (vmsim record), xz/zstd/gzip (compressing traces), yosys (make synth), yosys and z3 (make formal: yosys-smtbmc with the z3 SMT solver), lcov (coverage reports), parallel (sweeps), matplotlib (plots),
# clang-format (the format gate), git (which files the gates check).
PACKAGES=(
  build-essential cmake pkg-config
  verilator libsystemc-dev
  catch2 libcli11-dev nlohmann-json3-dev libfmt-dev
  zlib1g-dev liblzma-dev libzstd-dev
  python3 python3-matplotlib parallel yosys z3 lcov valgrind xz-utils zstd gzip
  clang-format git
)

# `install-deps.sh fuzz` (make fuzz) adds clang and its libFuzzer runtime.
if [[ "${1:-}" == "fuzz" ]]; then
  PACKAGES+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
