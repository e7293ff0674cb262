#!/usr/bin/env bash
# Runs every test program listed in $OUT/manifest.tsv under QEMU user mode
# and writes what it printed and how it exited, the oracle for pvm's runs:
#
#   $OUT/expected/<path>.stdout   standard output, byte for byte
#   $OUT/expected/<path>.exit     exit status (decimal, one line)
#
# Each program runs the way the pvm tests must run it too: with stdin from
# /dev/null, the environment reduced to PVM_TEST=hello, the arguments from
# the manifest's args file (one per line), and argv[0] = the binary's path.
#
# It also checks what does not need an oracle: the exit status the manifest
# expects (the programs exit non-zero when a self-check fails), and that the
# build variants of one program (-O2, -O3 -mcpu=power8/9) print the same.
# Exit status: 0 when all of that holds.
#
# Usage: run-qemu.sh [OUT]   (default: $OUT, else vm-engine/target/programs)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-${OUT:-$HERE/../../../target/programs}}
OUT=$(cd "$OUT" && pwd) || { echo "no build directory $OUT: run make first" >&2; exit 2; }
MANIFEST=$OUT/manifest.tsv
[ -f "$MANIFEST" ] || { echo "no $MANIFEST: run make first" >&2; exit 2; }
TIMEOUT=${TIMEOUT:-300}

failures=0
ran=0
while IFS=$'\t' read -r path qemu want argsfile; do
  [ -n "$path" ] || continue
  if [ "$qemu" = none ]; then
    echo "skip  $path (no QEMU oracle: compare with $(basename "${path%%-*}").expected)"
    continue
  fi
  args=()
  if [ "$argsfile" != - ]; then
    mapfile -t args < "$HERE/$argsfile"
  fi
  mkdir -p "$OUT/expected/$(dirname "$path")"
  stdout=$OUT/expected/$path.stdout
  start=$(date +%s.%N)
  env -i PVM_TEST=hello timeout "$TIMEOUT" "$qemu" "$OUT/$path" "${args[@]}" \
    </dev/null >"$stdout" 2>"$OUT/expected/$path.stderr"
  rc=$?
  end=$(date +%s.%N)
  echo "$rc" >"$OUT/expected/$path.exit"
  ran=$((ran + 1))
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  if [ "$rc" = "$want" ]; then
    printf 'ok    %-24s exit %-3s %5ss %6d lines\n' "$path" "$rc" "$secs" "$(wc -l <"$stdout")"
  else
    printf 'FAIL  %-24s exit %s, expected %s (%ss)\n' "$path" "$rc" "$want" "$secs"
    grep -m5 '^FAIL' "$stdout" | sed 's/^/        /'
    failures=$((failures + 1))
  fi
done <"$MANIFEST"

# Build variants must agree: the same program, the same endianness, whatever
# the optimisation level or -mcpu (vec_intrin's POWER9 build prints an extra
# section, and fp prints binary128 only where the compiler has it).
for dir in le be; do
  for v in "$OUT/expected/$dir"/*-o3p*.stdout; do
    [ -f "$v" ] || continue
    base=${v%-o3p*.stdout}.stdout
    name=$(basename "$v")
    case $name in
      vec_intrin-o3p9.stdout) cmp_out=$(diff <(sed '/^-- ISA 3.0/,$d' "$base" | grep -v '^vec_intrin:') \
                                             <(sed '/^-- ISA 3.0/,$d' "$v" | grep -v '^vec_intrin:')) ;;
      fp-*.stdout) cmp_out=$(diff <(grep -v -e '^binary128' -e checksum "$base") \
                                  <(grep -v -e '^binary128' -e checksum "$v")) ;;
      *) cmp_out=$(diff "$base" "$v") ;;
    esac
    if [ -n "$cmp_out" ]; then
      echo "FAIL  $dir/$name differs from $(basename "$base"):"
      echo "$cmp_out" | head -5 | sed 's/^/        /'
      failures=$((failures + 1))
    fi
  done
done

echo "$ran programs run under QEMU, $failures failures; expected outputs in $OUT/expected"
[ "$failures" = 0 ]
