#!/usr/bin/env bash
# Runs every benchmark binary in BUILD_DIR/bench (Release build), each
# printing its figures beside their references. `make bench` calls this.
set -euo pipefail
build=${1:-build/release}
shopt -s nullglob
ran=0
for b in "$build"/bench/*_benchmark; do
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.2
  echo
  ran=$((ran + 1))
done
if [ "$ran" -eq 0 ]; then
  echo "run-benchmarks: no benchmarks in $build/bench; build with 'make release'" >&2
  exit 1
fi
