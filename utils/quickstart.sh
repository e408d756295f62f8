#!/usr/bin/env bash
# First command of the README: installs whatever is missing (Debian packages
# only), configures and builds the module against Debian's ns-3.37, and runs the
# main example, printing where its output went. A second call rebuilds only
# what changed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$here/build}
jobs=${JOBS:-2}

"$here/utils/install-deps.sh"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$jobs"

# The main example (the wire-format walk-through until the connection lands).
out=$here/results/quic-wire-format
"$build/bin/quic-wire-format" --outDir="$out"
echo
echo "quickstart: built in $build; the example's output is in $out"
