#!/usr/bin/env bash
# Second command of the README, and all that CI runs: builds the module and runs
# the whole default test suite, ending with one "N passed, N failed" line.
#
#  1. standalone build against Debian's ns-3.37, every CTest test (one per ns-3
#     TestSuite, the Boost.Test suites of the eBPF VM);
#  2. a clang build with AddressSanitizer + UndefinedBehaviorSanitizer that runs
#     every CTest test again and every libFuzzer harness for FUZZ_SECONDS
#     (default 60) from its committed seed corpus (test/fuzz/corpus/<harness>/);
#  3. the in-tree build inside an ns-3.37 source tree with test.py
#     (utils/check-in-tree.sh; its ns-3 build is cached outside the checkout).
#
# Usage: utils/run-tests.sh [--quick]   (--quick: step 1 only, for day-to-day work)
# Environment: JOBS (default 2), FUZZ_SECONDS (default 60), BUILD_DIR.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$here/build}
jobs=${JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-60}
quick=0
[ "${1:-}" = "--quick" ] && quick=1

passed=0
failed=0
failures=()
record() { # record <name> <exit status>
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}
# Adds a CTest run's own counts to ours (it prints "N tests failed out of M").
record_ctest() { # record_ctest <label> <log file>
  local line total bad
  line=$(grep -E "tests? failed out of" "$2" | tail -n1)
  if [ -z "$line" ]; then record "$1 (ctest did not run)" 1; return; fi
  bad=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
  total=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/')
  passed=$((passed + total - bad))
  failed=$((failed + bad))
  if [ "$bad" -gt 0 ]; then
    while read -r name; do failures+=("$1: $name"); done < <(sed -n 's/^[[:space:]]*[0-9]* - \([^ ]*\) .*/\1/p' "$2")
  fi
}

"$here/utils/install-deps.sh" || exit 1

# 1. Standalone build and tests.
echo "== run-tests: standalone build ($build)"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo || exit 1
if cmake --build "$build" -j "$jobs"; then
  log=$build/ctest.log
  (cd "$build" && ctest -j "$jobs" --output-on-failure --timeout 1200) 2>&1 | tee "$log"
  record_ctest standalone "$log"
else
  record "standalone build" 1
fi

if [ "$quick" -eq 0 ]; then
  # 2. Sanitizers and fuzzing (clang).
  sbuild=$build-sanitize
  echo "== run-tests: clang ASan+UBSan build and fuzzing ($sbuild)"
  [ -f "$sbuild/CMakeCache.txt" ] ||
    CC=clang CXX=clang++ cmake -S "$here" -B "$sbuild" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DQUIC_SANITIZE=ON -DQUIC_FUZZ=ON || exit 1
  if cmake --build "$sbuild" -j "$jobs"; then
    log=$sbuild/ctest.log
    (cd "$sbuild" && ASAN_OPTIONS=detect_leaks=1 ctest -j "$jobs" --output-on-failure --timeout 1200) 2>&1 | tee "$log"
    record_ctest sanitized "$log"
    fuzzers=$(cd "$sbuild/bin" && ls fuzz-* 2>/dev/null)
    [ -n "$fuzzers" ] || record "fuzz harnesses built" 1
    pids=()
    names=()
    for f in $fuzzers; do
      # Seeds are committed in a folder named after the harness under some
      # corpus/ folder (test/fuzz/corpus/<harness>/); libFuzzer adds what it
      # finds to a working copy, never to the checkout.
      work=$sbuild/fuzz-work/$f
      mkdir -p "$work"
      seeds=$(find "$here/test" "$here/bpf" -type d -name "$f" -path "*corpus*" 2>/dev/null | head -n1)
      [ -n "$seeds" ] && cp -r "$seeds/." "$work/"
      echo "run-tests: fuzzing $f for ${fuzz_seconds}s"
      "$sbuild/bin/$f" -max_total_time="$fuzz_seconds" -print_final_stats=1 "$work" \
        > "$sbuild/$f.log" 2>&1 &
      pids+=($!)
      names+=("$f")
      # Two harnesses at a time: one per core.
      if [ ${#pids[@]} -ge "$jobs" ]; then
        wait "${pids[0]}"; st=$?; record "fuzz ${names[0]}" $st
        [ $st -eq 0 ] || tail -n 40 "$sbuild/${names[0]}.log"
        grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$sbuild/${names[0]}.log" | tail -n1
        pids=("${pids[@]:1}"); names=("${names[@]:1}")
      fi
    done
    for i in "${!pids[@]}"; do
      wait "${pids[$i]}"; st=$?; record "fuzz ${names[$i]}" $st
      [ $st -eq 0 ] || tail -n 40 "$sbuild/${names[$i]}.log"
      grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$sbuild/${names[$i]}.log" | tail -n1
    done
  else
    record "sanitizer build" 1
  fi

  # 3. In-tree build and test.py.
  echo "== run-tests: in-tree ns-3.37 build and test.py"
  "$here/utils/check-in-tree.sh"
  record "in-tree check (utils/check-in-tree.sh)" $?
fi

echo
for f in "${failures[@]}"; do echo "run-tests: FAILED: $f"; done
echo "run-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
