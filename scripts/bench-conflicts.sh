#!/usr/bin/env bash
# bench-conflicts.sh [RUNS]: time the conflict radar against plain git on a synthetic
# repository of realistic size, side by side in one run, and print medians and ratios.
# bench-conflicts.sh --repo DIR [N] [RUNS]: the same on a real repository (see below).
#
#   repository: 20,001 files in nested folders (svcNN/modN/pkgN/fileN.go), main plus 20
#   live kickoffs of 50 to 500 changed files each (edits, new, deleted and renamed files),
#   cutting across every service as features do; every other kickoff edits a few files of
#   the next one (same line: conflict, two lines apart: overlap), every fourth edits
#   shared/routes.go, and main has a hotfix on top.
#
#   BENCH_HISTORY=N and BENCH_AFTER=M give main N commits of history before the kickoffs
#   fork and M more along which they fork, one small edit each (default 0 and 0).
#
#   1. git loop: `git merge-tree --write-tree --name-only A B` for every pair, one by one.
#   2. kickoff first run: `kickoff conflicts` over main and every live kickoff, empty cache.
#   3. kickoff re-run after one kickoff moved (one new commit), cache warm.
# Then the floor every run pays, `kickoff --version` (starting the process), and the same
# first run and re-run measured in process by the Go benchmarks (BenchmarkMatrix,
# BenchmarkRerunAfterMove, BenchmarkGitLoop), as the dashboard's server runs them
# (BENCH_GO=0 skips those).
# Each of RUNS rounds (default 5) runs the three back to back, so all see the same load;
# CPU time (user+sys, children included) is printed too: it varies less with load.
# Peak memory (max RSS) of the kickoff runs comes from /usr/bin/time when present.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --repo ]; then
  exec "$here/scripts/bench-conflicts-repo.sh" "${@:2}"
fi
runs=${1:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

( cd "$here" && go build -o "$tmp/kickoff" ./cmd/kickoff && go build -o "$tmp/benchgen" ./scripts/benchgen )
git init -q "$tmp/repo"
cd "$tmp/repo"
git config user.name Bench
git config user.email bench@example.com
"$tmp/benchgen" -history "${BENCH_HISTORY:-0}" -after "${BENCH_AFTER:-0}" | git fast-import --quiet
# fast-import's packs are not optimal (its documentation says to repack after it); a
# clone gets a pack made this way by the server.
git repack -adfq
files=$(git ls-tree -r main | wc -l)
mapfile -t refs < <(echo main; git for-each-ref --format='%(refname:short)' 'refs/heads/kickoff-*')
npairs=$(( ${#refs[@]} * (${#refs[@]} - 1) / 2 ))
echo "repository: $files files, ${#refs[@]} refs (main + $(( ${#refs[@]} - 1 )) kickoffs), $npairs pairs"
for r in "${refs[@]:1}"; do git diff --name-only "main...$r" | wc -l; done | sort -n | sed -n '1p;$p' | paste -sd' ' | awk '{print "changed files per kickoff: " $1 " to " $2}'
export KICKOFF_STATE_DIR="$tmp/state"

. "$here/scripts/bench-lib.sh"
move() { # one new commit on the eighth kickoff, editing one of its files
  local k=${refs[8]} f
  f=$(git diff --name-only "main...$k" | sed -n 1p || true)
  local blob; blob=$( (git show "$k:$f"; echo "// moved $1") | git hash-object -w --stdin)
  GIT_INDEX_FILE="$tmp/index" git read-tree "$k"
  GIT_INDEX_FILE="$tmp/index" git update-index --cacheinfo "100644,$blob,$f"
  local tree; tree=$(GIT_INDEX_FILE="$tmp/index" git write-tree)
  git update-ref "refs/heads/$k" "$(git commit-tree "$tree" -p "$k" -m "move $1")"
}

declare -a tgit tfirst tre cgit cfirst cre
: >"$tmp/mem"
for ((r = 1; r <= runs; r++)); do
  timed t gitloop; tgit+=("$t"); cgit+=("$t_cpu")
  rm -rf "$KICKOFF_STATE_DIR"
  timed t "$tmp/kickoff" conflicts --exit-zero; tfirst+=("$t"); cfirst+=("$t_cpu")
  kconf=$(awk -F'\t' 'NF == 3 && $3 !~ /^clean/' "$tmp/out" | wc -l)
  move "$r"
  timed t "$tmp/kickoff" conflicts --exit-zero; tre+=("$t"); cre+=("$t_cpu")
  printf 'round %d: git loop %.2fs   kickoff first run %.2fs   re-run after one moved %.3fs\n' "$r" "${tgit[-1]}" "${tfirst[-1]}" "${tre[-1]}"
done

mg=$(median "${tgit[@]}"); mf=$(median "${tfirst[@]}"); mr=$(median "${tre[@]}")
echo "conflicted pairs: git $(cat "$tmp/git.conflicted"), kickoff $kconf"
printf 'median: git merge-tree loop %.2fs, kickoff full matrix %.2fs, kickoff re-run %.3fs\n' "$mg" "$mf" "$mr"
printf 'ratio: full matrix %.1fx faster than the git loop; re-run after one kickoff moved %.1fx faster than the first run\n' \
  "$(echo "$mg / $mf" | bc -l)" "$(echo "$mf / $mr" | bc -l)"
cg=$(median "${cgit[@]}"); cf=$(median "${cfirst[@]}"); cr=$(median "${cre[@]}")
printf 'cpu (user+sys) median: git loop %.2fs, kickoff full matrix %.2fs, re-run %.3fs\n' "$cg" "$cf" "$cr"
declare -a tstart
for ((r = 1; r <= 11; r++)); do timed t "$tmp/kickoff" --version; tstart+=("$t"); done
printf 'process start (kickoff --version) median: %.3fs\n' "$(median "${tstart[@]}")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
if [ -s "$tmp/mem" ]; then
  echo "peak memory (max RSS of kickoff runs): $(( $(sort -n "$tmp/mem" | tail -1) / 1024 )) MB"
fi

if [ "${BENCH_GO:-1}" != 0 ]; then
  # go test prints ns/op per benchmark; the ratios use the medians of 5 counts.
  ( cd "$here" && RADAR_BENCH_FULL=1 go test -run XXX -bench 'Matrix$|RerunAfterMove|GitLoop' -benchtime 5x -count 5 ./internal/radar ) >"$tmp/gobench" 2>&1 || { cat "$tmp/gobench"; exit 1; }
  gm() { median $(awk -v b="$1" '$1 ~ "^Benchmark" b "-" {print $3 / 1e9}' "$tmp/gobench"); }
  ig=$(gm GitLoop); im=$(gm Matrix); ir=$(gm RerunAfterMove)
  printf 'in process (go test -bench): git loop %.2fs, full matrix %.3fs, re-run %.3fs: %.1fx and %.1fx\n' \
    "$ig" "$im" "$ir" "$(echo "$ig / $im" | bc -l)" "$(echo "$im / $ir" | bc -l)"
fi
