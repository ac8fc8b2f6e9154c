#!/usr/bin/env bash
# bench-lifecycle.sh: how long `kickoff list --json` takes against the equivalent loop of git
# commands (what a shell script would run to show the same columns), side by side on the
# same generated repository. Prints medians and the ratio.
#
#   scripts/bench-lifecycle.sh [KICKOFFS] [FEATURES_PER_KICKOFF] [MAIN_COMMITS] [RUNS]
#
# Defaults: 20 kickoffs, 2 features each, 2000 commits on main, 5 runs of each.
set -euo pipefail
cd "$(dirname "$0")/.."
K=${1:-20}; F=${2:-2}; M=${3:-2000}; RUNS=${4:-5}

work=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "kept: $work" >&2 || trap 'rm -rf "$work"' EXIT
go build -o "$work/kickoff" ./cmd/kickoff
repo="$work/repo"
git init -q -b main "$repo"
export GIT_AUTHOR_NAME="Ann Author" GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME="Ann Author" GIT_COMMITTER_EMAIL=ann@example.com
export KICKOFF_TIMEZONE=UTC NO_COLOR=1

# One fast-import stream: main with M commits; kickoffs cut along it with 4 commits each;
# features off each kickoff with 2 commits each.
{
  t=1700000000
  commit() { # ref parent file msg
    local ref=$1 parent=$2 file=$3 msg=$4
    t=$((t + 60))
    printf 'commit %s\nmark :%d\ncommitter Ann Author <ann@example.com> %d +0000\ndata %d\n%s\n' "$ref" "$n" "$t" "${#msg}" "$msg"
    [ -n "$parent" ] && printf 'from %s\n' "$parent"
    printf 'M 644 inline %s\ndata %d\n%s\n\n' "$file" "${#msg}" "$msg"
  }
  n=0
  for ((i = 1; i <= M; i++)); do
    n=$((n + 1)); p=""; [ $i -gt 1 ] && p=":$((n - 1))"
    commit refs/heads/main "$p" "main/f$((i % 50)).txt" "main commit $i"
  done
  for ((k = 1; k <= K; k++)); do
    base=$(( (M - K * 10) + k * 10 ))           # kickoffs cut near the tip, staggered
    name=$(printf 'kickoff-24%02d%02d-topic%d' $(( (k % 12) + 1 )) $(( (k % 28) + 1 )) "$k")
    prev=":$base"
    for ((c = 1; c <= 4; c++)); do
      n=$((n + 1)); commit "refs/heads/$name" "$prev" "k$k/f$c.txt" "kickoff $k commit $c"; prev=":$n"
    done
    khead=$prev
    for ((f = 1; f <= F; f++)); do
      prev=$khead
      for ((c = 1; c <= 2; c++)); do
        n=$((n + 1)); commit "refs/heads/feature/P$k-$f" "$prev" "k$k/feat$f-$c.txt" "feature $k.$f commit $c"; prev=":$n"
      done
    done
  done
} | git -C "$repo" fast-import --quiet
git -C "$repo" checkout -q main
git -C "$repo" gc -q

# The equivalent shell loop: for each kickoff, ahead/behind main and its last commit; for
# each feature branch, which kickoff it belongs to (one merge-base test per kickoff, as
# kickoff infers it) and its commits not in main.
cat > "$work/loop.sh" <<'LOOP'
set -euo pipefail
kickoffs=$(git for-each-ref --format='%(refname:short)' 'refs/heads/kickoff-*' 'refs/remotes/origin/kickoff-*')
features=$(git for-each-ref --format='%(refname:short)' 'refs/heads/feature/*')
for k in $kickoffs; do
  counts=$(git rev-list --left-right --count "$k...main")
  last=$(git log -1 --format='%an|%aI|%s' "$k")
  echo "$k $counts $last"
done
for f in $features; do
  for k in $kickoffs; do
    if [ "$(git merge-base "$f" "$k")" != "$(git merge-base "$k" main)" ]; then
      echo "$f $k $(git rev-list --count "main..$f")"
      break
    fi
  done
done
LOOP

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

cd "$repo"
# Same answers first: the same kickoffs with the same commits ahead of and behind main.
"$work/kickoff" list --json 2>/dev/null |
  awk -F'"' '/^    "name"/ {n=$4} /^    "ahead"/ {a=$3; gsub(/[^0-9]/,"",a)} /^    "behind"/ {b=$3; gsub(/[^0-9]/,"",b); print n, a, b}' | sort > "$work/a1"
bash "$work/loop.sh" | awk '/^kickoff-/ {print $1, $2, $3}' | sort > "$work/a2"
if ! cmp -s "$work/a1" "$work/a2" || [ ! -s "$work/a1" ]; then
  echo "kickoff list and the git loop disagree:" >&2; diff "$work/a1" "$work/a2" >&2 || true; exit 1
fi

a=(); b=()
for ((r = 0; r < RUNS; r++)); do   # interleaved, so both see the same machine load
  a+=("$(ms "$work/kickoff" list --json)")
  b+=("$(ms bash "$work/loop.sh")")
done
ka=$(printf '%s\n' "${a[@]}" | median)
kb=$(printf '%s\n' "${b[@]}" | median)
echo "repository: $M main commits, $K kickoffs x 4 commits, $F features each ($((K * F)) feature branches)"
echo "kickoff list --json   median ${ka} ms  (runs: ${a[*]})"
echo "git loop (bash)       median ${kb} ms  (runs: ${b[*]})"
awk -v a="$ka" -v b="$kb" 'BEGIN { printf "ratio: the git loop takes %.1fx as long as kickoff list\n", b / a }'

# A platform of three repositories (repos: in .kickoff.yaml): the same history pushed to
# three bare remotes; kickoff runs in a clone of fe, reads spring through its clone (path:)
# and django through its bare clone in the cache. The git loop runs the same commands in a
# clone of each, on the remote-tracking branches.
plat="$work/platform"
mkdir -p "$plat"
export XDG_CACHE_HOME="$work/cache"
for r in fe spring django; do
  git clone -q --bare "$repo" "$plat/$r.git"
  git clone -q "$plat/$r.git" "$plat/$r"
done
printf 'repos:\n  fe: {url: ../fe.git}\n  spring: {url: ../spring.git, path: ../spring}\n  django: {url: ../django.git}\n' > "$plat/fe/.kickoff.yaml"
cat > "$work/loop3.sh" <<'LOOP'
set -euo pipefail
for dir in "$@"; do
  cd "$dir"
  kickoffs=$(git for-each-ref --format='%(refname:short)' 'refs/remotes/origin/kickoff-*')
  features=$(git for-each-ref --format='%(refname:short)' 'refs/remotes/origin/feature/*')
  for k in $kickoffs; do
    counts=$(git rev-list --left-right --count "$k...origin/main")
    last=$(git log -1 --format='%an|%aI|%s' "$k")
    echo "$dir $k $counts $last"
  done
  for f in $features; do
    for k in $kickoffs; do
      if [ "$(git merge-base "$f" "$k")" != "$(git merge-base "$k" origin/main)" ]; then
        echo "$dir $f $k $(git rev-list --count "origin/main..$f")"
        break
      fi
    done
  done
done
LOOP
cd "$plat/fe"
"$work/kickoff" list --fetch --json > "$work/p1" 2>/dev/null   # fills the cache's bare clone
present=$(grep -c '"present": true' "$work/p1" || true)
if [ "$present" != $((K * 3)) ]; then
  echo "kickoff list over three repositories shows $present kickoff copies, want $((K * 3))" >&2; exit 1
fi
a=(); b=()
for ((r = 0; r < RUNS; r++)); do
  a+=("$(ms "$work/kickoff" list --json)")
  b+=("$(ms bash "$work/loop3.sh" "$plat/fe" "$plat/spring" "$plat/django")")
done
ka=$(printf '%s\n' "${a[@]}" | median)
kb=$(printf '%s\n' "${b[@]}" | median)
echo "platform: 3 repositories x $K kickoffs (fe here, spring through its clone, django through the cache)"
echo "kickoff list --json   median ${ka} ms  (runs: ${a[*]})"
echo "git loop x 3 (bash)   median ${kb} ms  (runs: ${b[*]})"
awk -v a="$ka" -v b="$kb" 'BEGIN { printf "ratio: the git loop takes %.1fx as long as kickoff list over three repositories\n", b / a }'
