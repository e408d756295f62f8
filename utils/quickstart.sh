#!/usr/bin/env bash
# First command of the README: installs whatever is missing (Debian packages
# only), configures and builds the module against Debian's ns-3.37, and runs the
# main study: the dumbbell of the WNS3 2019 ns-3 QUIC paper (utils/run-study.sh),
# printing where its plots went. A second call rebuilds only what changed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$here/build}
jobs=${JOBS:-2}

"$here/utils/install-deps.sh"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$jobs"

# The main study: six 20 s runs (QUIC and ns-3 TCP; NewReno, Vegas, QUIC's own NewReno).
out=$here/results/study
BUILD_DIR="$build" OUT="$out" JOBS="$jobs" "$here/utils/run-study.sh"
echo
echo "quickstart: built in $build; the study's plots are $out/study-cwnd.png and" \
     "$out/study-rtt.png (per-flow series and summary.txt next to them)"
