#!/usr/bin/env bash
# Times `isoloir credentials generate` for N synthetic voters (default
# 1,000,000 in 3 scrutins), RUNS times (default 3) on a fresh data folder
# each. The command reports its stages: "credentials" (secrets, verifiers,
# public credentials), "letters and e-mails" (PDF letters and outbox) and
# "store" (public lists, verifiers, delivery plan). Issue 3's target,
# "generated and stored", is credentials + store; the letters have their own
# target (letters per second). Prints each run and the medians. The roll
# import before each run is not timed.
# Usage: bench/credentials_speed.sh [sqlite|postgresql] [N]
#   postgresql: a throw-away cluster (scripts/with-postgres.sh), fsync on.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
n=${2:-1000000}
runs=${RUNS:-3}
build=${BUILD:-build/release}
isoloir=$PWD/$build/src/cli/isoloir
E=demo-2026
cache=$PWD/build/bench-cache
mkdir -p "$cache"
work=$(mktemp -d "$cache/credentials-XXXX")
trap 'rm -rf "$work"' EXIT

if [[ $backend == postgresql && -z ${ISOLOIR_TEST_PG:-} ]]; then
  ISOLOIR_PG_DURABLE=1 exec bash scripts/with-postgres.sh "$0" "$@"
fi
roll=$cache/roll-$n.csv
if [[ ! -f $roll ]]; then
  "$isoloir" election create --data "$work/synth" --db sqlite --pg "" examples/election-demo.json >/dev/null
  "$isoloir" roll synth --data "$work/synth" --db sqlite --pg "" --election $E --voters "$n" --seed 1 --out "$roll"
fi
echo "credentials_speed: $backend, $n voters, $(nproc) cores"
times=()
for i in $(seq "$runs"); do
  data=$work/run$i
  args=(--data "$data" --db "$backend")
  if [[ $backend == postgresql ]]; then
    psql -q "$ISOLOIR_TEST_PG" -c "CREATE DATABASE bench_run$i" >/dev/null
    args+=(--pg "$ISOLOIR_TEST_PG dbname=bench_run$i")
  else
    args+=(--pg "")
  fi
  "$isoloir" election create "${args[@]}" examples/election-demo.json >/dev/null
  "$isoloir" roll import "${args[@]}" --election $E "$roll" >/dev/null 2>&1
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %M" -o "$work/time.txt" \
    "$isoloir" credentials generate "${args[@]}" --election $E >"$work/out.txt" 2>/dev/null
  read -r wall rss <"$work/time.txt"
  stages=$(grep '^time:' "$work/out.txt")
  stage() { sed -n "s/.* $1 \([0-9.]*\) s;.*/\1/p" <<<"$stages"; }
  gen=$(stage credentials); letters=$(stage "letters and e-mails"); store=$(stage store)
  both=$(echo "$gen + $store" | bc)
  echo "run $i: generated and stored ${both} s (credentials ${gen} s, store ${store} s);" \
       "letters and e-mails ${letters} s ($(echo "$n / $letters" | bc) per second);" \
       "whole command ${wall} s, peak $((rss / 1024)) MiB; load average before: $load"
  times+=("$both")
  rm -rf "$data"
  [[ $backend == postgresql ]] && psql -q "$ISOLOIR_TEST_PG" -c "DROP DATABASE bench_run$i" >/dev/null
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "credentials_speed: $backend median of $runs runs: generated and stored in ${median} s for $n voters"
