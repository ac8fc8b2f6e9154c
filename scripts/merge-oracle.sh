#!/usr/bin/env bash
# merge-oracle.sh GITDIR [N]: replay the last N two-parent merge commits of a repository
# (first parents from HEAD, or from $ORACLE_REV) through `kickoff conflicts` and through
# plain `git merge-tree --write-tree --name-only`, pair by pair, and compare the sets of
# conflicted paths.
#
# Prints one line per disagreement, then: agreement, false-clean (kickoff says clean,
# git conflicts: the dangerous error), false-conflict, and how kickoff decided (the
# prefilter without a merge, or git merge-tree). Exit 1 on any disagreement.
# ORACLE_EACH=1 runs kickoff once per pair, cold (a pull request's check), and holds each
# pair's merge bases to `git merge-base --all` as well.
#
# GITDIR may be a work tree or a bare repository and is not written to: the merges run
# in a shared clone without checkout in a temporary folder (objects borrowed, new ones
# kept apart), with kickoff's cache in that folder too. Needs go and jq.
set -euo pipefail
export LC_ALL=C

if [ $# -lt 1 ]; then
  echo "usage: $0 GITDIR [N]   (N defaults to 100)" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
n=${2:-100}
command -v jq >/dev/null || { echo "merge-oracle: needs jq (apt-get install jq)" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

( cd "$here" && go build -o "$tmp/kickoff" ./cmd/kickoff )
git clone -q --shared --no-checkout "$src" "$tmp/repo"
cd "$tmp/repo"
export KICKOFF_STATE_DIR="$tmp/state"

git rev-list --parents --min-parents=2 --max-parents=2 -n "$n" "${ORACLE_REV:-HEAD}" |
  awk 'NF == 3 { print $2, $3 > "'"$tmp/pairs"'"; print $1 > "'"$tmp/merges"'" }'
total=$(wc -l <"$tmp/pairs")
[ "$total" -gt 0 ] || { echo "merge-oracle: no two-parent merges in $src" >&2; exit 2; }

# kickoff: every pair in one run, or (ORACLE_EACH=1) each pair in a run of its own with no
# cache and no commit-graph of kickoff's, as a pull request's check runs on a fresh CI
# runner; then each pair's merge bases are held to `git merge-base --all` too.
start=$(date +%s.%N)
if [ "${ORACLE_EACH:-}" = 1 ]; then
  : >"$tmp/k.jsonl"
  while read -r p1 p2; do
    rm -rf "$KICKOFF_STATE_DIR" .git/kickoff
    "$tmp/kickoff" conflicts --json --exit-zero "$p1" "$p2" >"$tmp/one.json" # a failure stops here, saying why
    jq -c '.pairs[0]' "$tmp/one.json" >>"$tmp/k.jsonl"
  done <"$tmp/pairs"
  jq -s '{pairs: .}' "$tmp/k.jsonl" >"$tmp/k.json"
else
  "$tmp/kickoff" conflicts --json --exit-zero --pairs-from "$tmp/pairs" >"$tmp/k.json"
fi
k_secs=$(echo "$(date +%s.%N) - $start" | bc)
bases_bad=0
if [ "${ORACLE_EACH:-}" = 1 ]; then
  while IFS=$'\t' read -r p1 p2 kbases; do
    gbases=$(git merge-base --all "$p1" "$p2" | sort | paste -sd' ')
    if [ "$kbases" != "$gbases" ]; then
      bases_bad=$((bases_bad + 1))
      echo "MERGE-BASES ${p1:0:12} ${p2:0:12}: kickoff $kbases / git $gbases"
    fi
  done < <(paste <(tr ' ' '\t' <"$tmp/pairs") <(jq -r '.pairs[] | .merge_bases | sort | join(" ")' "$tmp/k.json"))
fi
jq -r '.pairs[] | [.decided_by, (.conflicts | map(.path) | sort | unique | join("|") | if . == "" then "-" else . end)] | @tsv' "$tmp/k.json" >"$tmp/k.tsv"

# Empty path lists are written "-": tabs are whitespace to read, and would collapse.
# The oracle: plain git, pair by pair.
start=$(date +%s.%N)
: >"$tmp/git.tsv"
while read -r p1 p2; do
  set +e
  out=$(git merge-tree --write-tree --name-only --no-messages "$p1" "$p2" 2>"$tmp/git.err")
  rc=$?
  set -e
  if [ $rc -gt 1 ]; then
    printf 'ERROR\t%s\n' "$(head -1 "$tmp/git.err")" >>"$tmp/git.tsv"
  else
    paths=$(printf '%s\n' "$out" | tail -n +2 | sed '/^$/d' | sort -u | paste -sd'|')
    printf 'ok\t%s\n' "${paths:--}" >>"$tmp/git.tsv"
  fi
done <"$tmp/pairs"
g_secs=$(echo "$(date +%s.%N) - $start" | bc)

agree=0 false_clean=0 false_conflict=0 errors=0 conflicted=0 prefiltered=0 disjoint=0 merged=0
while IFS=$'\t' read -r m kdec kpaths gstat gpaths; do
  if [ "$gstat" = ERROR ]; then
    echo "skip ${m:0:12}: git merge-tree failed: $gpaths"
    errors=$((errors + 1))
    continue
  fi
  case $kdec in
  prefilter) prefiltered=$((prefiltered + 1)) ;;
  disjoint-lines) disjoint=$((disjoint + 1)) ;;
  *) merged=$((merged + 1)) ;;
  esac
  [ "$gpaths" != - ] && conflicted=$((conflicted + 1))
  if [ "$kpaths" = "$gpaths" ]; then
    agree=$((agree + 1))
  elif [ "$kpaths" = - ]; then
    false_clean=$((false_clean + 1))
    echo "FALSE-CLEAN ${m:0:12}: git conflicts on ${gpaths//|/ }"
  elif [ "$gpaths" = - ]; then
    false_conflict=$((false_conflict + 1))
    echo "FALSE-CONFLICT ${m:0:12}: kickoff lists ${kpaths//|/ }"
  else
    false_conflict=$((false_conflict + 1))
    echo "DIFFERENT ${m:0:12}: git ${gpaths//|/ } / kickoff ${kpaths//|/ }"
  fi
done < <(paste "$tmp/merges" "$tmp/k.tsv" "$tmp/git.tsv")

compared=$((total - errors))
echo "repository: $src"
echo "merges replayed: $total (conflicted per git: $conflicted; skipped: $errors)"
echo "kickoff decided: $prefiltered by the prefilter and $disjoint by the line proof without a merge, $merged by git merge-tree"
echo "agreement: $agree/$compared   false-clean: $false_clean   false-conflict: $false_conflict"
[ "${ORACLE_EACH:-}" != 1 ] || echo "merge bases (each pair cold): $((total - bases_bad))/$total equal git merge-base --all"
printf 'time: kickoff %.1fs for all pairs, git merge-tree loop %.1fs\n' "$k_secs" "$g_secs"
[ "$agree" -eq "$compared" ] && [ "$bases_bad" -eq 0 ]
