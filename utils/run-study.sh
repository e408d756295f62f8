#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The dumbbell study of the WNS3 2019 ns-3 QUIC paper (its Figure 4): two flows share a
# 2 Mbps bottleneck with a 100 ms minimum RTT for 20 s, with TcpNewReno, TcpVegas and
# QUIC's own RFC 9002 controller over QUIC, and the same runs over ns-3 TCP (TcpLinuxReno
# stands next to QUIC's controller, which has no TCP twin). Builds the example if needed,
# runs the six configurations into results/study/ and renders study-cwnd.png and
# study-rtt.png there.
#
#   bash utils/run-study.sh [extra options for quic-variants-comparison, e.g. --run=2]
#
# Environment: BUILD_DIR (default build/), OUT (default results/study), JOBS (build jobs).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$here/build}
out=${OUT:-$here/results/study}
jobs=${JOBS:-2}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j "$jobs" --target quic-variants-comparison
example="$build/bin/quic-variants-comparison"

mkdir -p "$out"
rm -f "$out"/*-flow*-*.txt "$out"/*-summary.txt
for config in quic:ns3::TcpNewReno tcp:ns3::TcpNewReno \
              quic:ns3::TcpVegas tcp:ns3::TcpVegas \
              quic:ns3::QuicCongestionControl tcp:ns3::TcpLinuxReno; do
  transport=${config%%:*}
  cc=${config#*:}
  "$example" --transport="$transport" --cc="$cc" --outDir="$out" "$@"
done
cat "$out"/*-summary.txt > "$out/summary.txt"
python3 "$here/utils/plot-study.py" "$out"
echo "run-study: series, summaries (summary.txt) and PNGs are in $out"
