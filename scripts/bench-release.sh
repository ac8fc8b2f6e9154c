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

# --- S3 requests per `slot ls` at 100, 1,000 and 10,000 records ---
# An s3 ledger on the in-process S3 (gofakes3) holding N records, read as `slot ls` reads it
# (every slot's state), each round a fresh process: S3 requests and milliseconds per read,
# against the reference, the design before the index (last.json with the newest 100, then a
# listing and a GET of every older record object). testdata/script/ledger-s3-scale asserts
# the same bound through the real commands.
lsout=$(go test -run '^$' -bench '^BenchmarkSlotLsRequests$' -benchtime "$(( n > 10 ? n : 10 ))x" -count 1 ./internal/ledger/)
grep -q '^BenchmarkSlotLsRequests/' <<<"$lsout" || { echo "$lsout"; exit 1; }
printf '\nS3 requests per slot ls (rounds: %s; reference: last.json + every older record object)\n' "$(( n > 10 ? n : 10 ))"
printf '%-9s %12s %12s %8s %12s %12s %8s\n' records kickoff_req reference_req ratio kickoff_ms reference_ms ratio
awk '/^BenchmarkSlotLsRequests\// {
	split($1, a, "="); sub(/-[0-9]+$/, "", a[2])
	for (i = 2; i < NF; i++) m[$(i+1)] = $i
	printf "%-9s %12.0f %12.0f %8.4f %12.1f %12.1f %8.4f\n", a[2], m["s3-req/op"], m["ref-s3-req/op"], m["s3-req/op"] / m["ref-s3-req/op"],
		m["ns/op"] / 1e6, m["ref-ns/op"] / 1e6, m["ns/op"] / m["ref-ns/op"]
}' <<<"$lsout"
