#!/usr/bin/env bash
# Whole-program measurements for docs/performance.md: throughput at 1 and 2
# threads, peak memory at 10^5, 10^6 and 10^7 runs, random draws per
# unit-period against the generator's cost, and scaling with buyers, units
# and periods. Medians over REPEATS runs. Needs only the Rust toolchain and
# /usr/bin/time (GNU time). Takes several minutes; run on a quiet machine.
#   scripts/perf.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-5}
cargo build --release --quiet
cargo build --release --quiet --example draws
bin=target/release/backsim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rate() { # scenario runs threads [set...] -> unit-periods per second (median)
  local sc=$1 runs=$2 threads=$3; shift 3
  local sets=()
  for s in "$@"; do sets+=(--set "$s"); done
  for _ in $(seq "$repeats"); do
    "$bin" run "$sc" --runs "$runs" --threads "$threads" --out "$out/r" --force "${sets[@]}" \
      | awk '/^throughput:/ {print $4}'
  done | median
}

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# date: $(date -u +%Y-%m-%d), backsim $($bin --version | awk '{print $2}'), $repeats repeats"
echo
echo "## default scenario, 1,000,000 runs (unit-periods/s, median)"
one=$(rate default 1000000 1)
two=$(rate default 1000000 2)
echo "1 thread:  $one"
echo "2 threads: $two"
echo "speed-up:  $(awk -v a="$one" -v b="$two" 'BEGIN {printf "%.2f", b/a}')"
echo
echo "## peak memory (default scenario, 2 threads)"
for runs in 100000 1000000 10000000; do
  /usr/bin/time -v "$bin" run default --runs "$runs" --out "$out/m" --force --quiet 2> "$out/time.txt"
  printf '%9d runs: %s KiB, %s\n' "$runs" \
    "$(awk -F': ' '/Maximum resident/ {print $2}' "$out/time.txt")" \
    "$(awk -F': ' '/Elapsed/ {print $2}' "$out/time.txt")"
done
echo
echo "## random draws (one thread, no files)"
target/release/examples/draws default 20000
echo
echo "## scaling (unit-periods/s, 2 threads)"
for b in 10 40 160; do echo "buyers $b: $(rate default 2000 2 buyer.count=$b)"; done
for u in 2 8 32; do echo "units per buyer $u: $(rate default 20000 2 buyer.units=$u)"; done
for p in 20 80 320; do echo "periods $p: $(rate default 20000 2 time.periods=$p)"; done
for sc in $("$bin" scenarios | awk '{print $1}'); do echo "scenario $sc: $(rate "$sc" 2000 2)"; done
