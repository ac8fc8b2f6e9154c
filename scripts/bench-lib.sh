# bench-lib.sh: the timing helpers the bench-conflicts scripts share (sourced, not run).
# The caller sets $tmp (a scratch folder) and, for gitloop, the array refs.

# Wall time from bash's own clock and CPU time from the `times` builtin, both read with no
# process started around the command measured: a `date` or an awk in the timed window
# would add the same milliseconds to both sides and flatter the ratio of a short command.
# cpu_of FILE: user+sys seconds of the finished children in a `times` snapshot.
cpu_of() { tail -1 "$1" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }'; }
timed() { # timed VAR CMD...: seconds into VAR, CPU seconds into VAR_cpu; for a program, peak KB appended to $tmp/mem
  local var=$1; shift
  local s e
  times >"$tmp/times0"; s=$EPOCHREALTIME
  if [ -x /usr/bin/time ] && [ "$(type -t "$1")" = file ]; then /usr/bin/time -f %M -a -o "$tmp/mem" "$@" >"$tmp/out" 2>"$tmp/err" || true
  else "$@" >"$tmp/out" 2>"$tmp/err" || true; fi
  e=$EPOCHREALTIME; times >"$tmp/times1"
  printf -v "$var" '%s' "$(echo "$e - $s" | bc)"
  printf -v "${var}_cpu" '%s' "$(echo "$(cpu_of "$tmp/times1") - $(cpu_of "$tmp/times0")" | bc)"
}
# gitloop: the reference, `git merge-tree` for every pair of refs one by one; the number of
# conflicted pairs goes to $tmp/git.conflicted.
gitloop() {
  local i j c=0
  for ((i = 0; i < ${#refs[@]}; i++)); do
    for ((j = i + 1; j < ${#refs[@]}; j++)); do
      git merge-tree --write-tree --name-only "${refs[i]}" "${refs[j]}" >/dev/null || c=$((c + 1))
    done
  done
  echo "$c" >"$tmp/git.conflicted"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
