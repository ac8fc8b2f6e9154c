#!/usr/bin/env bash
# bench-ledger.sh: the s3 ledger against the reference design (one S3 object holding the last
# 100 deploys, read and rewritten on every deploy without a condition), side by side on the
# same in-process S3 server (gofakes3), RUNS times each:
#   - one append: median ns/op of both (and of the file ledger) and the ratio s3/reference;
#   - 20 deployers appending 5 records each at once: median ns per race and the records lost.
#
#   scripts/bench-ledger.sh [RUNS]     (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
app=$(go test -run '^$' -bench '^BenchmarkAppend$' -benchtime 200x -count "$RUNS" ./internal/ledger/)
race=$(go test -run '^$' -bench '^BenchmarkRace20$' -benchtime 3x -count "$RUNS" ./internal/ledger/)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v n="$2" -v c="$3" '$1 ~ n"-[0-9]+$" {print $c}' <<<"$1" | median; }
file=$(col "$app" 'BenchmarkAppend/file' 3)
ours=$(col "$app" 'BenchmarkAppend/s3' 3)
ref=$(col "$app" 'BenchmarkAppend/s3-reference' 3)
rours=$(col "$race" 'BenchmarkRace20/s3' 3)
rref=$(col "$race" 'BenchmarkRace20/s3-reference' 3)
lours=$(col "$race" 'BenchmarkRace20/s3' 5)
lref=$(col "$race" 'BenchmarkRace20/s3-reference' 5)
printf 'append, file ledger (flock+fsync):   median %12.0f ns/op\n' "$file"
printf 'append, s3 ledger:                   median %12.0f ns/op\n' "$ours"
printf 'append, reference single object:     median %12.0f ns/op\n' "$ref"
awk -v a="$ours" -v b="$ref" 'BEGIN {printf "ratio s3/reference (append):         %.2f\n", a / b}'
printf '20 racing deployers x 5, s3 ledger:  median %12.0f ns/race, %s of 100 records lost\n' "$rours" "$lours"
printf '20 racing deployers x 5, reference:  median %12.0f ns/race, %s of 100 records lost\n' "$rref" "$lref"
awk -v a="$rours" -v b="$rref" 'BEGIN {printf "ratio s3/reference (race):           %.2f\n", a / b}'
echo "($RUNS runs each)"
