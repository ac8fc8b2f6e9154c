#!/usr/bin/env bash
# Benchmark of `kickoff release` on the real engine, side by side with plain Compose applying
# the same compose file: a no-op re-release and a one-app change, median seconds and ratio.
# The reference is `docker compose up -d --wait`; with Compose v1 (no --wait) it is
# `docker-compose up -d` followed by polling the changed app's health, which is what --wait
# stands for. Rounds: KICKOFF_BENCH_N (default 5).
# Then two deployers (two clones, one ledger, one engine) racing for one slot: in how many
# rounds one deployed and the other waited and found nothing to do, and how long it waited;
# and a one-app change on a routed slot with routing.switch side-by-side while a request
# loop asks the app through the built-in router: errors seen (must be 0) and the time
# against plain Compose recreating the app (`up -d` + health poll), with the same loop's
# errors during Compose's recreate for contrast.
set -euo pipefail
cd "$(dirname "$0")/.."
export KICKOFF_REQUIRE_DOCKER=1
n="${KICKOFF_BENCH_N:-5}"
out=$(KICKOFF_BENCH_N="$n" go test -run '^$' -bench '^Benchmark(Release|LockRace|SideBySide)$' -benchtime 1x -count 1 ./internal/slot/)
line=$(grep '^Benchmark' <<<"$out" | tr '\n' ' ') || { echo "$out"; exit 1; }
grep -q '^BenchmarkSideBySide' <<<"$out" || { echo "$out"; exit 1; }
metric() { awk -v m="$1" '{for (i = 2; i < NF; i++) if ($(i+1) == m) print $i}' <<<"$line"; }
compose=$(docker compose version >/dev/null 2>&1 && echo "docker compose up -d --wait" || echo "docker-compose up -d + health poll")
printf 'rounds: %s; reference: %s\n' "$n" "$compose"
printf '%-18s %12s %12s %8s\n' case kickoff_s reference_s ratio
printf '%-18s %12s %12s %8s\n' "no-op re-release" "$(metric noop-kickoff-s)" "$(metric noop-compose-s)" "$(metric noop-ratio)"
printf '%-18s %12s %12s %8s\n' "one-app change" "$(metric change-kickoff-s)" "$(metric change-compose-s)" "$(metric change-ratio)"
printf '\ntwo deployers racing for one slot: %s of %s rounds one deployed and the other waited (winner %ss, loser waited %ss, medians)\n' \
  "$(metric race-ok)" "$(metric race-rounds)" "$(metric winner-s)" "$(metric loser-wait-s)"
printf 'one-app change on a routed slot (side-by-side) with a request loop through the router:\n'
printf '  %-28s %10s %10s\n' "" requests errors
printf '  %-28s %10s %10s\n' "kickoff side-by-side" "$(metric switch-requests)" "$(metric switch-errors)"
printf '  %-28s %10s %10s\n' "plain Compose recreate" "$(metric compose-requests)" "$(metric compose-errors)"
printf '  time: kickoff %ss, Compose %ss, ratio %s (medians)\n' "$(metric switch-kickoff-s)" "$(metric switch-compose-s)" "$(metric switch-ratio)"

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
[ "$(metric switch-errors)" = "0" ] || { echo "FAIL: requests failed during side-by-side switches" >&2; exit 1; }
