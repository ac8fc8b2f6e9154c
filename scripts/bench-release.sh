#!/usr/bin/env bash
# Benchmark of `kickoff release` on the real engine, side by side with plain Compose applying
# the same compose file: a no-op re-release and a one-app change, median seconds and ratio.
# The reference is `docker compose up -d --wait`; with Compose v1 (no --wait) it is
# `docker-compose up -d` followed by polling the changed app's health, which is what --wait
# stands for. Rounds: KICKOFF_BENCH_N (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
export KICKOFF_REQUIRE_DOCKER=1
n="${KICKOFF_BENCH_N:-5}"
out=$(KICKOFF_BENCH_N="$n" go test -run '^$' -bench '^BenchmarkRelease$' -benchtime 1x -count 1 ./internal/slot/)
line=$(grep '^BenchmarkRelease' <<<"$out") || { echo "$out"; exit 1; }
metric() { awk -v m="$1" '{for (i = 2; i < NF; i++) if ($(i+1) == m) print $i}' <<<"$line"; }
compose=$(docker compose version >/dev/null 2>&1 && echo "docker compose up -d --wait" || echo "docker-compose up -d + health poll")
printf 'rounds: %s; reference: %s\n' "$n" "$compose"
printf '%-18s %12s %12s %8s\n' case kickoff_s reference_s ratio
printf '%-18s %12s %12s %8s\n' "no-op re-release" "$(metric noop-kickoff-s)" "$(metric noop-compose-s)" "$(metric noop-ratio)"
printf '%-18s %12s %12s %8s\n' "one-app change" "$(metric change-kickoff-s)" "$(metric change-compose-s)" "$(metric change-ratio)"
