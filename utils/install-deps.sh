#!/usr/bin/env bash
# Installs, from Debian 12's packages only, whatever this module needs and the
# machine lacks. Idempotent and quiet when nothing is missing.
# Usage: utils/install-deps.sh [--in-tree]   (--in-tree adds what an ns-3 source build needs)
set -euo pipefail

packages=(
  libns3-dev libgsl-dev   # ns-3.37 as installed libraries + its GSL dependency
  ns3                     # ns3Targets.cmake checks its raw-sock-creator helper exists
  libxml2-dev libpython3.11-dev   # ns3Targets.cmake names their include folders; CMake
                                  # refuses imported targets whose include folders are missing
  libsqlite3-dev          # ns3Targets.cmake links libsqlite3.so (with libgsl and libxml2)
  cmake make g++          # the standalone build
  clang libclang-rt-14-dev llvm   # eBPF plugins (clang -target bpf), libFuzzer, sanitizers
  libboost-test-dev       # Boost.Test suites of the eBPF VM
  gnuplot-nox             # plots of the examples
  python3                 # utils/ scripts (standard library only)
)
if [ "${1:-}" = "--in-tree" ]; then
  packages+=(dpkg-dev bzip2 rsync ninja-build)   # apt-get source, the ns-3 tarball, copying the module, ns-3's build
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
