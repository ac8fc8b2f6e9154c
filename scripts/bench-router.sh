#!/usr/bin/env bash
# bench-router.sh: the cost of the built-in router. One GET of a 4 KiB page straight from an
# app and through `kickoff serve`'s router (path mode, prefix stripped), side by side in the
# same benchmark run, RUNS times each. Prints the median ns/op of both and their ratio.
#
#   scripts/bench-router.sh [RUNS]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
out=$(go test -run '^$' -bench '^BenchmarkRouter$' -benchtime 2000x -count "$RUNS" ./internal/route/)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
direct=$(awk '/BenchmarkRouter\/direct/ {print $3}' <<<"$out" | median)
router=$(awk '/BenchmarkRouter\/router/ {print $3}' <<<"$out" | median)
printf 'direct to the app:      median %8.0f ns/op (%d runs)\n' "$direct" "$RUNS"
printf 'through the router:     median %8.0f ns/op (%d runs)\n' "$router" "$RUNS"
awk -v r="$router" -v d="$direct" 'BEGIN {printf "ratio router/direct:    %.2f\n", r / d}'
