#!/usr/bin/env bash
# Runs every benchmark binary in BUILD_DIR/bench (Release build), each
# printing its figures beside their references. `make bench` calls this.
# Each binary's wall time and the load average before and after are
# printed too (figures are quoted with the load they were measured under).
set -euo pipefail
build=${1:-build/release}
shopt -s nullglob
ran=0
start=$SECONDS
echo "run-benchmarks: $(date -u '+%F %T UTC'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in "$build"/bench/*_benchmark; do
  echo "== $(basename "$b")"
  t=$SECONDS
  "$b" --benchmark_min_time=0.2
  echo "== $(basename "$b"): $((SECONDS - t)) s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  ran=$((ran + 1))
done
if [ "$ran" -eq 0 ]; then
  echo "run-benchmarks: no benchmarks in $build/bench; build with 'make release'" >&2
  exit 1
fi
echo "run-benchmarks: $ran binaries in $((SECONDS - start)) s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
