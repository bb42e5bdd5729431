#!/usr/bin/env bash
# Times `isoloir verify` on an honest record of N standard ballots (10 lists
# + blank; default 100,000): writes the record once with record_speed (kept
# in build/bench-cache, about 500 MB for 100,000 ballots), then verifies it
# RUNS times (default 3) and prints each run and the median wall time.
# Usage: bench/record_verify.sh [N]     (BUILD=build/release by default)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${RUNS:-3}
build=${BUILD:-build/release}
cache=build/bench-cache/record-$n.jsonl
mkdir -p build/bench-cache
if [ ! -f "$cache" ]; then
  echo "record_verify: writing $cache (once; it takes a while)"
  "$build/bench/record_speed" --ballots "$n" --out "$cache"
fi
echo "record_verify: $(nproc) cores, $(du -h "$cache" | cut -f1) record of $n ballots"
walls=()
for i in $(seq "$runs"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S" -o build/bench-cache/time.txt \
    "$build/src/cli/isoloir" verify --quiet "$cache" >build/bench-cache/report.txt || {
    echo "record_verify: the verification failed:" >&2
    cat build/bench-cache/report.txt >&2
    exit 1
  }
  read -r wall user sys <build/bench-cache/time.txt
  echo "run $i: ${wall} s wall, $(echo "$user + $sys" | bc) s CPU, load average before: $load"
  walls+=("$wall")
done
median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "record_verify: median of $runs runs: ${median} s for $n ballots ($(echo "scale=0; $n / $median" | bc) ballots/s)"
