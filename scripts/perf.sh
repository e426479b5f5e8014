#!/usr/bin/env bash
# Whole-program measurements for docs/performance.md: throughput at 1 and 2
# threads, peak memory at 10^5, 10^6 and 10^7 runs, random draws per
# unit-period against the generator's cost, and scaling with buyers, units
# and periods, and instructions per run, period and unit-period (with
# valgrind, if present) against the cycles the processor's measured clock
# gives. Medians over REPEATS runs. Needs only the Rust toolchain and
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
rate() { # scenario runs threads [set|--flag...] -> unit-periods per second (median)
  local sc=$1 runs=$2 threads=$3; shift 3
  local sets=()
  for s in "$@"; do
    case $s in --*) sets+=("$s") ;; *) sets+=(--set "$s") ;; esac
  done
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
lean=$(rate default 1000000 2 --no-runs-csv)
echo "1 thread:  $one"
echo "2 threads: $two"
echo "speed-up:  $(awk -v a="$one" -v b="$two" 'BEGIN {printf "%.2f", b/a}')"
echo "2 threads, summary outputs only (--no-runs-csv): $lean"
# 1.6e8 unit-periods: 10^6 runs of the default's 4 units over 40 periods.
echo "runs.csv adds: $(awk -v a="$two" -v b="$lean" 'BEGIN {printf "%.2f s per 1,000,000 runs", 1.6e8/a - 1.6e8/b}')"
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
draws=$(target/release/examples/draws default 20000)
echo "$draws"
cycles=$(printf '%s\n' "$draws" | awk -F': ' '/^cycles per unit-period/ {print $2}')
echo
echo "## instructions (valgrind cachegrind: exact and repeatable, unlike time on a shared machine)"
# Instructions of 2000 runs, one thread, no files, at 1, 4 and 16 units and
# 40 and 80 periods, split by least squares into a cost per run, per period
# (of the one-buyer world) and per unit-period. The generator's share is the
# instructions inside rand_chacha's block function in the default run.
if command -v valgrind > /dev/null; then
  cargo build --release --quiet --example simulate
  count() { # out-file sets... -> instructions
    local f=$1; shift
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$f" \
      target/release/examples/simulate default 2000 "$@" 2>&1 | awk '/I +refs/ {gsub(",", "", $NF); print $NF}'
  }
  rows=""
  for u in 1 4 16; do
    for p in 40 80; do
      rows+="$u $p $(count "$out/cg.$u.$p" buyer.units=$u time.periods=$p)"$'\n'
    done
  done
  gen=$(cg_annotate "$out/cg.4.40" 2>/dev/null | awk '/rand_chacha::guts::refill/ {gsub(",", "", $1); s += $1} END {print s + 0}')
  printf '%s' "$rows" | awk -v gen="$gen" -v cycles="$cycles" '
    { i[$1, $2] = $3 / 2000 }
    END {
      # Per period at u units: d(u) = (I(u, 80) - I(u, 40)) / 40 = a + b u.
      n = 0; sx = sy = sxx = sxy = 0
      for (u = 1; u <= 16; u *= 4) { d = (i[u, 80] - i[u, 40]) / 40; n++; sx += u; sy += d; sxx += u*u; sxy += u*d }
      b = (n*sxy - sx*sy) / (n*sxx - sx*sx); a = (sy - b*sx) / n
      r = i[4, 40] - 40 * (a + 4*b)
      total = i[4, 40] / 160
      printf "default: %.0f instructions per unit-period (%.0f per run)\n", total, i[4, 40]
      printf "  per run (set-up, parameter draws, generator start, finish): %.0f = %.0f per unit-period\n", r, r / 160
      printf "  per period of the one-buyer world (demand, market, decisions, record): %.0f = %.0f per unit-period\n", a, a / 4
      printf "  per unit-period (steps 2 to 9 for a unit): %.0f\n", b
      printf "  generator (ChaCha8 block function): %.0f per unit-period\n", gen / 2000 / 160
      # Cycles from the clock and time that examples/draws measured above.
      if (cycles > 0) printf "instructions per cycle: %.2f (%.0f instructions in %.0f cycles per unit-period)\n", total / cycles, total, cycles
    }'
else
  echo "valgrind not found: skipped"
fi
echo
echo "## scaling (2 threads; about 1.6e7 unit-periods per measurement)"
# Time per run against size; the fitted exponent is the slope of
# log(time per run) on log(size): 1 means the cost grows linearly.
fit() { awk '{x = log($1); y = log($2); n++; sx += x; sy += y; sxx += x*x; sxy += x*y}
             END {printf "%.2f", (n*sxy - sx*sy) / (n*sxx - sx*sx)}'; }
scaling() { # label field unit-periods-per-run-per-size sizes...
  local label=$1 field=$2 per=$3; shift 3
  local pts=""
  for n in "$@"; do
    local up=$((per * n))
    local runs=$((16000000 / up)); [ "$runs" -lt 200 ] && runs=200
    local r; r=$(rate default "$runs" 2 "$field=$n")
    local us; us=$(awk -v up="$up" -v r="$r" 'BEGIN {printf "%.2f", up / r * 1e6}')
    echo "$label $n: $r unit-periods/s, $us us per run" >&2
    pts+="$n $us"$'\n'
  done
  echo "$label: fitted exponent $(printf '%s' "$pts" | fit)" >&2
}
{
  scaling buyers buyer.count 160 1 4 16 64 256
  scaling "units per buyer" buyer.units 40 2 4 8 16 32 64
  scaling periods time.periods 4 20 40 80 160 320
} 2>&1
echo
echo "## built-in scenarios (2 threads; about 1.6e7 unit-periods each)"
for sc in $("$bin" scenarios | awk '{print $1}'); do
  up=$("$bin" run "$sc" --runs 10 --threads 1 --out "$out/p" --force --no-plots \
    | awk '/^throughput:/ {gsub(/\(/, ""); print $9 * $12}')
  runs=$((16000000 / up)); [ "$runs" -lt 200 ] && runs=200
  echo "scenario $sc ($up unit-periods per run, $runs runs): $(rate "$sc" "$runs" 2) unit-periods/s"
done
