#!/usr/bin/env bash
# bench-compare.sh REV [ROUNDS]: the Go benchmarks of this work tree against those of REV,
# side by side in one run, for a change that must not slow anything down (a refactor).
#
# It builds each package's test binary at REV (in a temporary work tree) and here, then
# runs them alternately, ROUNDS times each (default 5), so both see the same load, and
# prints benchstat's comparison (medians, with the change and its p-value) when benchstat
# is installed (`go install golang.org/x/perf/cmd/benchstat@latest`), else the raw lines.
# It also times the process start-up (`kickoff --version`) of both binaries.
#
# BENCH_PKGS overrides the packages (default: every package with a Benchmark function);
# BENCH_TIME is -test.benchtime (default 5x: the radar benchmarks build repositories).
set -euo pipefail
export LC_ALL=C
rev=${1:?usage: bench-compare.sh REV [ROUNDS]}
rounds=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
cleanup() {
	git -C "$here" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
git -C "$here" worktree add --detach -q "$tmp/base" "$rev"

pkgs=${BENCH_PKGS:-$(cd "$here" && grep -l '^func Benchmark' -r --include='*_test.go' internal | xargs -n1 dirname | sort -u)}
for side in base new; do
	src=$here
	[ "$side" = base ] && src=$tmp/base
	mkdir -p "$tmp/$side"
	for p in $pkgs; do
		[ -d "$src/$p" ] || continue
		(cd "$src" && go test -c -o "$tmp/$side/$(echo "$p" | tr / _).test" "./$p")
	done
	(cd "$src" && go build -o "$tmp/$side/kickoff" ./cmd/kickoff)
done

for ((i = 1; i <= rounds; i++)); do
	for side in base new; do
		for bin in "$tmp/$side"/*.test; do
			p=$(basename "$bin" .test | tr _ /)
			# Each binary runs in its package folder, as go test does (testdata, fixtures).
			src=$here
			[ "$side" = base ] && src=$tmp/base
			(cd "$src/$p" && "$bin" -test.run '^$' -test.bench . -test.benchtime "${BENCH_TIME:-5x}" -test.benchmem) |
				grep -E '^(Benchmark|goos|goarch|pkg|cpu)' >>"$tmp/$side.txt" || true
		done
	done
	echo "round $i of $rounds done" >&2
done

startup() { # median wall time of 21 starts, in ms
	for _ in $(seq 21); do
		s=$(date +%s%N)
		"$1" --version >/dev/null
		echo $(((($(date +%s%N) - s)) / 1000))
	done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}
echo "process start (kickoff --version, median of 21): $rev $(startup "$tmp/base/kickoff") ms, here $(startup "$tmp/new/kickoff") ms"

if command -v benchstat >/dev/null || [ -x "$(go env GOPATH)/bin/benchstat" ]; then
	"$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")" "$rev=$tmp/base.txt" "here=$tmp/new.txt"
else
	echo "== $rev"; cat "$tmp/base.txt"; echo "== here"; cat "$tmp/new.txt"
fi
