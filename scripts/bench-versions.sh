#!/usr/bin/env bash
# Benchmark platform-version assignment against a local bare remote.
#
#   scripts/bench-versions.sh [ROUNDS] [N]      (defaults: 5 rounds, 8 concurrent assigners)
#
# Each round builds a fresh bare remote with N kickoff branches and N clones, then measures:
#   single      one `kickoff version --assign KICKOFF` (read the remote, reserve with one atomic push)
#   single-ref  the reference beside it: one plain `git push` creating one ref
#   concurrent  N `kickoff version --assign` started at once from N clones (wall time until all are done;
#               losers retry), checked to give N distinct versions 0.1.0..0.N.0
#   concurrent-ref  N plain `git push`es of distinct refs started at once (no contention)
# It prints the median of each in milliseconds and the ratio to its reference.
set -euo pipefail
rounds=${1:-5}
n=${2:-8}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export KICKOFF_TIMEZONE=UTC NO_COLOR=1

(cd "$root" && go build -o "$tmp/kickoff" ./cmd/kickoff)
ko="$tmp/kickoff"
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

setup() { # $1 = round dir
  local d=$1
  git init -q --bare -b main "$d/remote.git"
  git init -q -b main "$d/work"
  git -C "$d/work" remote add origin "$d/remote.git"
  echo hi >"$d/work/README.md"
  git -C "$d/work" add README.md && git -C "$d/work" commit -q -m init
  for i in $(seq 0 "$n"); do
    git -C "$d/work" branch "kickoff-2405$(printf %02d $((i + 1)))-bench" main
  done
  git -C "$d/work" push -q origin --all
  for i in $(seq 1 "$n"); do git clone -q "$d/remote.git" "$d/c$i"; done
}

: >"$tmp/single" >"$tmp/single-ref" >"$tmp/conc" >"$tmp/conc-ref"
for r in $(seq 1 "$rounds"); do
  d="$tmp/r$r" && mkdir -p "$d" && setup "$d"
  head=$(git -C "$d/work" rev-parse main)
  # single, and its reference
  t0=$(now); (cd "$d/work" && "$ko" version --assign kickoff-240501-bench >/dev/null 2>&1); t1=$(now)
  ms "$t0" "$t1" >>"$tmp/single"
  t0=$(now); git -C "$d/work" push -q origin "$head:refs/bench/single"; t1=$(now)
  ms "$t0" "$t1" >>"$tmp/single-ref"
  # N concurrent from N clones (kickoffs 2..N+1), and its reference
  t0=$(now)
  for i in $(seq 1 "$n"); do
    (cd "$d/c$i" && "$ko" version --assign "kickoff-2405$(printf %02d $((i + 1)))-bench" >"$d/out$i" 2>"$d/err$i") &
  done
  wait
  t1=$(now)
  ms "$t0" "$t1" >>"$tmp/conc"
  got=$(cat "$d"/out* | sort -V | tr '\n' ' ')
  want=$(for i in $(seq 2 $((n + 1))); do echo "platform/v0.$i.0"; done | tr '\n' ' ')
  if [ "$got" != "$want" ]; then
    echo "round $r: versions '$got', want '$want'" >&2
    cat "$d"/err* >&2
    exit 1
  fi
  t0=$(now)
  for i in $(seq 1 "$n"); do git -C "$d/c$i" push -q origin "$head:refs/bench/c$i" & done
  wait
  t1=$(now)
  ms "$t0" "$t1" >>"$tmp/conc-ref"
  rm -rf "$d"
done

s=$(median <"$tmp/single"); sr=$(median <"$tmp/single-ref")
c=$(median <"$tmp/conc"); cr=$(median <"$tmp/conc-ref")
printf '%-34s %8s %8s %7s\n' "measure ($rounds rounds)" "median" "ref" "ratio"
printf '%-34s %6sms %6sms %6.1fx\n' "single assignment" "$s" "$sr" "$(echo "$s / $sr" | bc -l)"
printf '%-34s %6sms %6sms %6.1fx\n' "$n concurrent assignments (wall)" "$c" "$cr" "$(echo "$c / $cr" | bc -l)"
