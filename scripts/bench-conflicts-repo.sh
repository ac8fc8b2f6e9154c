#!/usr/bin/env bash
# bench-conflicts-repo.sh DIR [N] [RUNS] (also `bench-conflicts.sh --repo DIR [N] [RUNS]`):
# time the conflict radar against plain git on a real repository's history, side by
# side in one run, and print medians and ratios.
#
#   live branches: the second parents of the newest N merges (default 20) on the first-
#   parent line of DIR's HEAD: topic branches that were alive at about the same time.
#   1. git loop: `git merge-tree --write-tree --name-only A B` for each of the N(N-1)/2 pairs.
#   2. kickoff first run: `kickoff conflicts` over the N branches, no radar cache and no
#      commit-graph of kickoff's (it writes one when it has many pairs: that is counted).
#   3. kickoff first run again with kickoff's commit-graph kept (the radar cache emptied).
#   4. re-run after one branch moved (one new commit on it), cache warm.
#   5. a single pair (the first and the last branch), cold (no cache, no graph of
#      kickoff's), against `git merge-tree` for that pair alone.
#   6. (BENCH_PAIRS=M) single pairs as pull requests are: the two parents of each of the
#      newest M merges on the first-parent line, each cold, 3 times, against git merge-tree
#      for that pair; the median ratio per pair, by how kickoff decided it.
# DIR is not written to: everything runs in a local clone without checkout in a
# temporary folder (the repository's own commit-graph, if any, comes along, as it would
# in a clone on a CI runner that keeps one). Each of RUNS rounds (default 5) runs all of
# them back to back, so all see the same load. BENCH_BASE=REV builds kickoff at REV too and
# times its first run (with the commit-graph kept), its re-run and its single pair in the
# same rounds, with a cache of its own: a before/after.
set -euo pipefail
export LC_ALL=C
[ $# -ge 1 ] || { echo "usage: $0 DIR [N] [RUNS]" >&2; exit 2; }
src=$(cd "$1" && pwd)
n=${2:-20}
runs=${3:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
only=${BENCH_ONLY:-}
base=${BENCH_BASE:-}
tmp=$(mktemp -d)
cleanup() {
  [ -z "$base" ] || git -C "$here" worktree remove --force "$tmp/basetree" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

( cd "$here" && go build -o "$tmp/kickoff" ./cmd/kickoff )
if [ -n "$base" ]; then
  git -C "$here" worktree add --detach -q "$tmp/basetree" "$base"
  ( cd "$tmp/basetree" && go build -o "$tmp/kickoff-base" ./cmd/kickoff )
fi
git clone -q --no-checkout "$src" "$tmp/repo"
cd "$tmp/repo"
git config user.name Bench
git config user.email bench@example.com
mapfile -t tips < <(git rev-list --first-parent --min-parents=2 --parents -n "$n" HEAD | awk '{print $3}')
[ "${#tips[@]}" -ge 2 ] || { echo "bench: fewer than 2 merges on the first-parent line of $src" >&2; exit 2; }
n=${#tips[@]}
# The live branches are branches (live-01...), as a team's kickoffs are: a re-run finds
# the one that moved by its name, as `kickoff conflicts` over live kickoffs does.
refs=()
for ((i = 0; i < n; i++)); do
  refs+=("$(printf 'live-%02d' "$((i + 1))")")
  git branch -f "${refs[i]}" "${tips[i]}"
done
npairs=$(( n * (n - 1) / 2 ))
graph=none; [ -e .git/objects/info/commit-graph ] || [ -e .git/objects/info/commit-graphs ] && graph=yes
echo "repository: $src, $(git rev-list --count HEAD) commits on HEAD, $(git ls-tree -r HEAD | wc -l) files, commit-graph: $graph"
echo "live branches: $n (second parents of the newest merges), $npairs pairs"
export KICKOFF_STATE_DIR="$tmp/state"
cold() { rm -rf "$KICKOFF_STATE_DIR" .git/kickoff; }

. "$here/scripts/bench-lib.sh"
gitpair() { git merge-tree --write-tree --name-only "${refs[0]}" "${refs[n-1]}" >/dev/null || true; }
move() { # one new commit on the middle branch, editing a file it changed
  local k=${refs[n/2]} f blob tree
  f=$(git diff --name-only "$k^1...$k" 2>/dev/null | sed -n 1p || true)
  [ -n "$f" ] || f=$(git ls-tree -r --name-only "$k" | sed -n 1p)
  blob=$( (git show "$k:$f" 2>/dev/null; echo "moved $1") | git hash-object -w --stdin)
  GIT_INDEX_FILE="$tmp/index" git read-tree "$k"
  GIT_INDEX_FILE="$tmp/index" git update-index --cacheinfo "100644,$blob,$f"
  tree=$(GIT_INDEX_FILE="$tmp/index" git write-tree)
  git branch -f "$k" "$(git commit-tree "$tree" -p "$k" -m "move $1")"
}

declare -a tgit tfirst tgraph tre tgp tkp tkb cgp ckp ckb tstart tbf tbr
: >"$tmp/mem"
for ((r = 1; r <= runs; r++)); do
  if [ "$only" != pair ]; then
    timed t gitloop; tgit+=("$t")
    cold; timed t "$tmp/kickoff" conflicts --exit-zero "${refs[@]}"; tfirst+=("$t")
    kconf=$(awk -F'\t' 'NF == 3 && $3 !~ /^clean/' "$tmp/out" | wc -l)
    rm -rf "$KICKOFF_STATE_DIR"; timed t "$tmp/kickoff" conflicts --exit-zero "${refs[@]}"; tgraph+=("$t")
    if [ -n "$base" ]; then # its own cache, the same branches: its first run and re-run too
      rm -rf "$tmp/state-base"
      KICKOFF_STATE_DIR="$tmp/state-base" timed t "$tmp/kickoff-base" conflicts --exit-zero "${refs[@]}"; tbf+=("$t")
    fi
    move "$r"
    timed t "$tmp/kickoff" conflicts --exit-zero "${refs[@]}"; tre+=("$t")
    if [ -n "$base" ]; then
      KICKOFF_STATE_DIR="$tmp/state-base" timed t "$tmp/kickoff-base" conflicts --exit-zero "${refs[@]}"; tbr+=("$t")
    fi
  fi
  timed t gitpair; tgp+=("$t"); cgp+=("$t_cpu")
  cold; timed t "$tmp/kickoff" conflicts --exit-zero "${refs[0]}" "${refs[n-1]}"; tkp+=("$t"); ckp+=("$t_cpu")
  verdict=$(cut -f3 "$tmp/out")
  if [ -n "$base" ]; then
    cold; timed t "$tmp/kickoff-base" conflicts --exit-zero "${refs[0]}" "${refs[n-1]}"; tkb+=("$t"); ckb+=("$t_cpu")
    [ "$(cut -f3 "$tmp/out")" = "$verdict" ] || { echo "bench: $base says $(cut -f3 "$tmp/out") for the pair, this tree $verdict" >&2; exit 1; }
  fi
  if [ "$only" = pair ]; then
    printf 'round %d: pair: git %.3fs, kickoff %.3fs%s\n' "$r" "${tgp[-1]}" "${tkp[-1]}" "${base:+ ($base: ${tkb[-1]}s)}"
  else
    printf 'round %d: git loop %.2fs, kickoff first %.2fs (graph kept %.2fs), re-run %.3fs; pair: git %.3fs, kickoff %.3fs\n' \
      "$r" "${tgit[-1]}" "${tfirst[-1]}" "${tgraph[-1]}" "${tre[-1]}" "${tgp[-1]}" "${tkp[-1]}"
  fi
done
for ((r = 1; r <= 11; r++)); do timed t "$tmp/kickoff" --version; tstart+=("$t"); done

if [ "$only" != pair ]; then
  mg=$(median "${tgit[@]}"); mf=$(median "${tfirst[@]}"); mgr=$(median "${tgraph[@]}"); mr=$(median "${tre[@]}")
  echo "conflicted pairs (last round): git $(cat "$tmp/git.conflicted"), kickoff $kconf"
  printf 'median: git merge-tree loop %.2fs; kickoff first run %.2fs, with its commit-graph kept %.2fs, re-run after one moved %.3fs\n' "$mg" "$mf" "$mgr" "$mr"
  printf 'ratio: first full matrix %.1fx faster than the git loop (%.1fx with the graph kept); re-run %.1fx faster than the git loop\n' \
    "$(echo "$mg / $mf" | bc -l)" "$(echo "$mg / $mgr" | bc -l)" "$(echo "$mg / $mr" | bc -l)"
  if [ -n "$base" ]; then
    mbf=$(median "${tbf[@]}"); mbr=$(median "${tbr[@]}")
    printf 'kickoff at %s: first run %.2fs (graph kept), re-run %.3fs: %.1fx and %.1fx faster than the git loop\n' \
      "$base" "$mbf" "$mbr" "$(echo "$mg / $mbf" | bc -l)" "$(echo "$mg / $mbr" | bc -l)"
  fi
fi
pg=$(median "${tgp[@]}"); pk=$(median "${tkp[@]}"); qg=$(median "${cgp[@]}"); qk=$(median "${ckp[@]}")
echo "single pair ($verdict), cold, medians:"
printf '  git merge-tree     %.3fs wall, %.3fs cpu\n' "$pg" "$qg"
printf '  kickoff conflicts  %.3fs wall, %.3fs cpu: %.1fx git'"'"'s wall time, %.1fx its cpu\n' "$pk" "$qk" "$(echo "$pk / $pg" | bc -l)" "$(echo "$qk / $qg" | bc -l)"
if [ -n "$base" ]; then
  pb=$(median "${tkb[@]}"); qb=$(median "${ckb[@]}")
  printf '  kickoff at %-7s %.3fs wall, %.3fs cpu: %.1fx git'"'"'s wall time, %.1fx its cpu\n' "$base" "$pb" "$qb" "$(echo "$pb / $pg" | bc -l)" "$(echo "$qb / $qg" | bc -l)"
fi
printf 'process start (kickoff --version) median: %.3fs\n' "$(median "${tstart[@]}")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
if [ -s "$tmp/mem" ]; then
  echo "peak memory (max RSS of the kickoff runs): $(( $(sort -n "$tmp/mem" | tail -1) / 1024 )) MB"
fi

if [ "${BENCH_PAIRS:-0}" -gt 0 ]; then
  echo "single pairs, cold (the parents of the newest $BENCH_PAIRS merges; median of 3 each):"
  : >"$tmp/pairs.tsv"
  while read -r p1 p2; do
    declare -a tg=() tk=() tb=()
    for ((r = 1; r <= 3; r++)); do
      timed t git merge-tree --write-tree --name-only "$p1" "$p2"; tg+=("$t")
      cold; timed t "$tmp/kickoff" conflicts --json --exit-zero "$p1" "$p2"; tk+=("$t")
      by=$(jq -r '.pairs[0].decided_by' "$tmp/out")
      if [ -n "$base" ]; then cold; rm -rf "$tmp/state-base"; KICKOFF_STATE_DIR="$tmp/state-base" timed t "$tmp/kickoff-base" conflicts --exit-zero "$p1" "$p2"; tb+=("$t"); fi
    done
    printf '%s\t%s\t%s\t%s\n' "$by" "$(median "${tg[@]}")" "$(median "${tk[@]}")" "$( [ -n "$base" ] && median "${tb[@]}" || echo 0)" >>"$tmp/pairs.tsv"
  done < <(git rev-list --first-parent --min-parents=2 --max-parents=2 --parents -n "$BENCH_PAIRS" HEAD | awk '{print $2, $3}')
  # of BY EXPR: the median of an awk expression over the rows decided by BY (all: every row);
  # the columns are how, git's time, kickoff's, the base's.
  of() { median $(awk -F'\t' -v b="$1" "b == \"all\" || \$1 == b {print $2}" "$tmp/pairs.tsv"); }
  for by in prefilter disjoint-lines merge-tree all; do
    n=$(awk -F'\t' -v b="$by" 'b == "all" || $1 == b' "$tmp/pairs.tsv" | wc -l)
    [ "$n" -gt 0 ] || continue
    line=$(printf '  %-15s %3d pairs: git %.3fs, kickoff %.3fs (medians); kickoff/git per pair, median %.1fx' \
      "$by" "$n" "$(of "$by" '$2')" "$(of "$by" '$3')" "$(of "$by" '$3 / $2')")
    [ -z "$base" ] || line+=$(printf '; %s %.1fx' "$base" "$(of "$by" '$4 / $2')")
    echo "$line"
  done
fi
