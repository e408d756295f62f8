#!/usr/bin/env bash
# Builds this module inside an ns-3.37 source tree, as contrib/quic, with ns-3's
# own ./ns3 and runs every quic suite through test.py — the way ns-3 users who
# build from source will use it.
#
# The ns-3 source (Debian's source package ns3 3.37) and its build are kept in a
# cache folder outside the checkout and reused: the first run takes about a
# quarter of an hour on two cores, later runs rebuild only what changed.
#
# Usage: utils/check-in-tree.sh          (as root on Debian 12, or with the packages present)
# Environment: NS3_QUIC_CACHE (default ~/.cache/ns3-quic), JOBS (default 2)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NS3_QUIC_CACHE:-$HOME/.cache/ns3-quic}
jobs=${JOBS:-2}
ns3_version=3.37
ns3_dir=$cache/ns-allinone-$ns3_version/ns-$ns3_version
modules="core;network;internet;point-to-point;applications;traffic-control;flow-monitor;csma;internet-apps;quic"

"$here/utils/install-deps.sh" --in-tree
mkdir -p "$cache"

# 1. The ns-3.37 source, from Debian's source package.
if [ ! -x "$ns3_dir/ns3" ]; then
  if ! ls "$cache"/ns3_${ns3_version}.orig.tar.* >/dev/null 2>&1; then
    if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
      # Same mirror and suite as the binary packages, source entries only.
      mirror=$(grep -rhs '^URIs:' /etc/apt/sources.list.d/debian.sources | head -n1 | awk '{print $2}')
      mirror=${mirror:-$(grep -hs '^deb ' /etc/apt/sources.list | awk '/debian/ && !/security/ {print $2; exit}')}
      mirror=${mirror:-http://deb.debian.org/debian}
      printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$mirror" > /etc/apt/sources.list.d/ns3-quic-deb-src.sources
    fi
    apt-get update -q >/dev/null
    (cd "$cache" && apt-get source --download-only "ns3=${ns3_version}*" >/dev/null 2>&1 ||
       { cd "$cache" && apt-get source --download-only ns3; })
  fi
  echo "check-in-tree: unpacking ns-$ns3_version into $cache"
  tar -C "$cache" -xf "$cache"/ns3_${ns3_version}.orig.tar.*
fi

# 2. This module as contrib/quic (rsync keeps timestamps of unchanged files, so
#    the next build is incremental).
rsync -a --delete --exclude '/build*' --exclude '/.git' --exclude '/results' \
  "$here/" "$ns3_dir/contrib/quic/"

# 3. Configure (cheap on an existing build: CMake only re-reads the lists) and build.
cd "$ns3_dir"
start=$(date +%s)
generator=()
[ -f cmake-cache/CMakeCache.txt ] || generator=(-G Ninja)
# ns-3 links with lld or mold when it finds them, and CMake remembers where; reset that
# (a -NOTFOUND value makes CMake search again) so a cache reused on a machine without them
# still links.
if [ -f cmake-cache/CMakeCache.txt ]; then
  sed -i 's#^LLD:FILEPATH=.*#LLD:FILEPATH=LLD-NOTFOUND#;s#^MOLD:FILEPATH=.*#MOLD:FILEPATH=MOLD-NOTFOUND#' \
    cmake-cache/CMakeCache.txt
fi
./ns3 configure "${generator[@]}" -d default --enable-tests --enable-examples --disable-werror \
  --enable-modules="$modules"
# Exactly what "./ns3 build" runs, but with our job count: ns3 caps its -j at
# (cores - 1), which is one job on a two-core machine.
cmake --build cmake-cache -j "$jobs"
echo "check-in-tree: build took $(( $(date +%s) - start )) s"

# 4. Every quic suite through test.py (no rebuild: it was just built).
suites=$(./build/utils/ns$ns3_version-test-runner-default --list | grep '^quic' || true)
[ -n "$suites" ] || { echo "check-in-tree: no quic test suite registered" >&2; exit 1; }
failed=0
for suite in $suites; do
  if ! ./test.py -n -s "$suite"; then failed=$((failed + 1)); fi
done
total=$(echo "$suites" | wc -w)
echo "check-in-tree: $((total - failed)) passed, $failed failed (test.py, in-tree ns-$ns3_version)"
[ "$failed" -eq 0 ]
