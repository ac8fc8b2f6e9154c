#!/bin/sh
# fuzz.sh [FUZZTIME]: runs every fuzz target of the module for FUZZTIME (default 10s) each,
# after its checked-in seed corpus (testdata/fuzz/FuzzXxx/); plain `go test` runs the seeds
# alone. A failing input is written to the target's testdata/fuzz/ directory: fix the code,
# keep the input.
set -eu
cd "$(dirname "$0")/.."
t=${1:-10s}
grep -rl --include='*_test.go' '^func Fuzz' internal | while read -r f; do
	pkg=./$(dirname "$f")
	for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f"); do
		echo "== $pkg $name"
		go test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$t" -parallel 2
	done
done
