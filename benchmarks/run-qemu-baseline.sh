#!/usr/bin/env bash
# Runs the CPU benchmarks under every runner, checks that all runners print
# the same checksum, and prints a Markdown table of CPU seconds (user+sys,
# best of REPEAT runs) with each runner's ratio to the reference runner and
# the geometric mean of those ratios.
#
# Usage: benchmarks/run-qemu-baseline.sh [BENCHMARK...]
# Environment:
#   RUNNERS="native qemu"  runners, in column order (see runner_cmd below)
#   REF=native             the runner the others are divided by
#   REPEAT=3               runs per benchmark and runner; the fastest counts
#   METRIC=cpu             cpu (user+sys seconds of the process and its
#                          children) or wall (elapsed seconds)
#   OUT=benchmarks/target  where `make` put the binaries (built if missing)
#   PVM_USER_CMD           the pvm runner's command prefix (default: ./pvm user --)
#
# Adding a runner is one case in runner_cmd: e.g. the engine's
#   pvm) echo "$REPO/pvm user --" ;;   with ppc64le binaries
# then RUNNERS="qemu pvm" REF=qemu gives pvm/QEMU ratios.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
OUT=${OUT:-$HERE/target}
RUNNERS=${RUNNERS:-native qemu}
REF=${REF:-native}
REPEAT=${REPEAT:-3}
METRIC=${METRIC:-cpu}
ALL=(sha256 quicksort interp matmul strmem crc32)
if [ $# -gt 0 ]; then BENCH=("$@"); else BENCH=("${ALL[@]}"); fi

# The command prefix a runner puts before the benchmark binary.
runner_cmd() {
  case $1 in
    native) echo "" ;;
    qemu) echo "qemu-ppc64le" ;;
    # PVM_USER_CMD: how `./pvm bench cpu` runs the engine (java straight, without the script's build check).
    pvm) echo "${PVM_USER_CMD:-$REPO/pvm user --}" ;;
    *) echo "unknown runner $1" >&2; exit 2 ;;
  esac
}
# Which build a runner executes.
runner_arch() {
  case $1 in
    native) echo x86_64 ;;
    *) echo ppc64le ;;
  esac
}

TIMEFORMAT='%3U %3S %3R'
make -s -C "$HERE" OUT="$OUT" all >&2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run RUNNER BENCH -> prints "seconds checksum-line"
run_one() {
  local runner=$1 b=$2 best= cmd bin secs line
  cmd=$(runner_cmd "$runner")
  bin=$OUT/$(runner_arch "$runner")/$b
  for _ in $(seq "$REPEAT"); do
    # bash's time keyword: the child's rusage to the millisecond (GNU time
    # rounds to 10 ms, too coarse for the fast native runs).
    # shellcheck disable=SC2086 # the prefix is meant to split into words
    if ! { time $cmd "$bin" >"$tmp/out" 2>"$tmp/err"; } 2>"$tmp/time"; then
      echo "$runner $b failed: $(tail -3 "$tmp/err")" >&2
      echo "nan FAILED"
      return
    fi
    secs=$(awk -v m="$METRIC" 'END { printf "%.3f", (m == "wall" ? $3 : $1 + $2) }' "$tmp/time")
    if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$secs; fi
  done
  line=$(grep ' checksum ' "$tmp/out" | tail -1)
  echo "$best ${line:-NO-CHECKSUM}"
}

read -r -a runners <<<"$RUNNERS"
others=()
for r in "${runners[@]}"; do [ "$r" != "$REF" ] && others+=("$r"); done

header="| benchmark |"
rule="|---|"
for r in "${runners[@]}"; do header+=" $r (s) |"; rule+="---:|"; done
for r in "${others[@]}"; do header+=" $r/$REF |"; rule+="---:|"; done
header+=" checksums |"
rule+="---|"

echo "host: $(uname -m), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); metric: $METRIC seconds, best of $REPEAT" >&2
echo "$header"
echo "$rule"
status=0
declare -A logsum count
for r in "${others[@]}"; do logsum[$r]=0; count[$r]=0; done
for b in "${BENCH[@]}"; do
  declare -A secs=()
  row="| $b |"
  first=
  agree=same
  for r in "${runners[@]}"; do
    read -r s line <<<"$(run_one "$r" "$b")"
    secs[$r]=$s
    row+=" $s |"
    if [ -z "$first" ]; then first=$line; elif [ "$line" != "$first" ]; then agree="MISMATCH ($r: $line)"; fi
  done
  for r in "${others[@]}"; do
    ratio=$(awk -v a="${secs[$r]}" -v b="${secs[$REF]}" 'BEGIN { if (b > 0 && a == a + 0) printf "%.2f", a / b; else print "n/a" }')
    row+=" $ratio |"
    if [ "$ratio" != n/a ]; then
      logsum[$r]=$(awk -v s="${logsum[$r]}" -v x="$ratio" 'BEGIN { print s + log(x) }')
      count[$r]=$((count[$r] + 1))
    fi
  done
  [ "$agree" = same ] || status=1
  row+=" $agree |"
  echo "$row"
done
row="| geometric mean |"
for _ in "${runners[@]}"; do row+=" |"; done
for r in "${others[@]}"; do
  row+=" $(awk -v s="${logsum[$r]}" -v n="${count[$r]}" 'BEGIN { if (n) printf "%.2f", exp(s / n); else print "n/a" }') |"
done
echo "$row |"
exit $status
