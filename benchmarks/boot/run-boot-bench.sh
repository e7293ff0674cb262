#!/usr/bin/env bash
# Times "process start -> first shell prompt" for Debian's ppc64el kernel with the busybox shell initramfs
# (scripts/debian-guest.sh) under our engine (`pvm-engine boot`) and under qemu-system-ppc64 -M pseries (TCG),
# same kernel, initramfs, command line, memory and vCPUs, in the same run; prints a Markdown table with the
# best of REPEAT runs and the ratio ours/QEMU (issue 6, "Done when"), of the wall time to the prompt and of the
# CPU time (user + system, all threads) each process used until then, which a loaded host distorts less.
#
# Usage: benchmarks/boot/run-boot-bench.sh [options]
#   --repeat N         runs per runner and variant; the fastest counts (default 3)
#   --vcpus N          vCPUs (default 1)
#   --memory-mib M     guest RAM (default 1024)
#   --mmu M            radix, hash or both (default radix)
#   --timeout S        give up on a run after S seconds (default 120)
#   --runners "R..."   runners in column order: qemu, pvm (default "qemu pvm")
#   --cpu-mode MODE    our engine's CPU mode: translator (default), interpreter, lockstep
#   --qemu-firmware F  vof (default: QEMU's small Open Firmware, the fastest way QEMU boots a kernel) or slof
#   --keep DIR         keep every run's console and stderr under DIR
#
# Our engine runs with the JVM options in PVM_BOOT_JVM_OPTIONS (default -XX:TieredStopAtLevel=1
# -XX:CompileThresholdScaling=0.3, as ./pvm boot: a boot runs most kernel code a few times, C1 alone compiles it
# for far less CPU than tiered C2, and compiling at 0.3 of the usual counts shortens its interpreted start), and
# the launch options in PVM_BOOT_LAUNCH_OPTIONS (./pvm bench boot: the engine's AOT cache, as ./pvm boot uses it).
#
# The prompt is the shell initramfs's "pvm# " (its /init prints PVM-GUEST-READY first, also timed). QEMU runs
# `qemu-system-ppc64 -M pseries,x-vof=on,ic-mode=xics -accel tcg -nodefaults -nographic -serial mon:stdio`:
# no SLOF (our engine has no firmware either: it enters the kernel directly), and the XICS interrupt controller
# our engine offers. The hash variant adds `disable_radix` to the command line for both and `--mmu hash` for ours.
# Exit status 0 when every runner reached the prompt in every variant, 1 otherwise (the table still shows the
# others' times and why a runner failed), 2 for bad options.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VERSION=0.1.0-SNAPSHOT
READY=PVM-GUEST-READY
PROMPT='pvm# '

repeat=3 vcpus=1 memory=1024 mmu=radix timeout=120 runners="qemu pvm" cpu_mode=translator firmware=vof keep=
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { printf 'bench boot: %s\n' "$*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --repeat) repeat=${2:?}; shift ;;
    --vcpus) vcpus=${2:?}; shift ;;
    --memory-mib) memory=${2:?}; shift ;;
    --mmu) mmu=${2:?}; shift ;;
    --timeout) timeout=${2:?}; shift ;;
    --runners) runners=${2:?}; shift ;;
    --cpu-mode) cpu_mode=${2:?}; shift ;;
    --qemu-firmware) firmware=${2:?}; shift ;;
    --keep) keep=${2:?}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
  shift
done
[[ $repeat =~ ^[1-9][0-9]*$ ]] || die "--repeat needs a positive number"
[[ $vcpus =~ ^[1-9][0-9]*$ ]] || die "--vcpus needs a positive number"
[[ $memory =~ ^[1-9][0-9]*$ ]] || die "--memory-mib needs a positive number"
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout needs a positive number of seconds"
case $mmu in radix) variants=(radix) ;; hash) variants=(hash) ;; both) variants=(radix hash) ;;
  *) die "--mmu must be radix, hash or both" ;; esac
case $firmware in vof) qemu_machine=pseries,x-vof=on,ic-mode=xics ;; slof) qemu_machine=pseries,ic-mode=xics ;;
  *) die "--qemu-firmware must be vof or slof" ;; esac
read -r -a runner_list <<<"$runners"
for r in "${runner_list[@]}"; do
  case $r in qemu|pvm) ;; *) die "unknown runner '$r' (qemu, pvm)" ;; esac
done

# ---- inputs: the guest (cached by the script) and our engine ----
eval "$("$REPO/scripts/debian-guest.sh")"
: "${VMLINUX:?}" "${INITRD:?}"
. "$REPO/.mvn/select-jdk.sh"
engine_jar=${PVM_ENGINE_JAR:-$REPO/vm-engine/target/pvm-vm-engine-$VERSION.jar}
if [[ " ${runner_list[*]} " == *" pvm "* ]] && [ ! -f "$engine_jar" ]; then
  die "no engine jar at $engine_jar: build it first (./pvm build, or ./pvm bench boot which does)"
fi
if [[ " ${runner_list[*]} " == *" qemu "* ]]; then
  command -v qemu-system-ppc64 >/dev/null || die "qemu-system-ppc64 not found (Debian package qemu-system-ppc)"
fi

read -r -a jvm_options <<<"${PVM_BOOT_JVM_OPTIONS:--XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.3}"
# How ./pvm starts the engine's JVM: with its AOT cache where it has one (./pvm bench boot passes it).
read -r -a launch_options <<<"${PVM_BOOT_LAUNCH_OPTIONS:---enable-native-access=ALL-UNNAMED}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -z "$keep" ] || mkdir -p "$keep"

# The command line of RUNNER for VARIANT, into the array `cmd`.
runner_cmd() {
  local runner=$1 variant=$2 append=console=hvc0
  [ "$variant" = hash ] && append="console=hvc0 disable_radix"
  case $runner in
    qemu) cmd=(qemu-system-ppc64 -M "$qemu_machine" -accel tcg -m "${memory}M" -smp "$vcpus" -nodefaults
               -nographic -serial mon:stdio -no-reboot -kernel "$VMLINUX" -initrd "$INITRD" -append "$append") ;;
    pvm) cmd=("$JAVA_HOME/bin/java" "${launch_options[@]}" --sun-misc-unsafe-memory-access=allow "${jvm_options[@]}" -jar "$engine_jar" boot
              --kernel "$VMLINUX" --initrd "$INITRD" --append "$append" --memory-mib "$memory" --vcpus "$vcpus"
              --mmu "$variant" --cpu-mode "$cpu_mode" --max-seconds "$timeout") ;;
  esac
}

elapsed() { awk -v s="$1" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.2f", e - s }'; }

clock_ticks=$(getconf CLK_TCK)
# CPU seconds (user + system, all threads) process PID has used so far.
cpu_seconds() { awk -v t="$clock_ticks" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$1/stat"; }

# One run: sets ready, prompt (seconds from process start; empty when not reached), cpu (CPU seconds the
# process used up to the prompt) and reason (why not).
run_once() {
  local runner=$1 variant=$2 label=$3 out=$tmp/out err=$tmp/err start pid rc
  runner_cmd "$runner" "$variant"
  ready= prompt= reason= cpu=
  # Emptied here, not only by the background job's redirection, which may come after the first poll below and
  # let it find the previous run's markers.
  : >"$out"
  start=$EPOCHREALTIME
  "${cmd[@]}" </dev/null >"$out" 2>"$err" &
  pid=$!
  while :; do
    if [ -z "$ready" ] && grep -qF "$READY" "$out"; then ready=$(elapsed "$start"); fi
    if grep -qF "$PROMPT" "$out"; then
      prompt=$(elapsed "$start")
      cpu=$(cpu_seconds "$pid" 2>/dev/null || true)
      [ -n "$ready" ] || ready=$prompt
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rc=0
      wait "$pid" || rc=$?
      # Our engine's last word names the reason (guest failed / timed out / engine error); QEMU's stderr is short.
      local last
      last=$(grep -E '^pvm-engine boot: (guest|timed|engine|cannot)|^qemu-system' "$err" | tail -n 1 || true)
      [ -n "$last" ] || last=$(grep -v '^\s*$' "$err" | tail -n 1 || true)
      reason="exited with status $rc after $(elapsed "$start") s${last:+: ${last#pvm-engine boot: }}"
      break
    fi
    if awk -v s="$start" -v e="$EPOCHREALTIME" -v t="$timeout" 'BEGIN { exit !(e - s > t) }'; then
      reason="no prompt within $timeout s"
      break
    fi
    sleep 0.02
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "$keep" ]; then
    cp "$out" "$keep/$label.console"
    cp "$err" "$keep/$label.stderr"
  fi
}

min() { if [ -z "$1" ]; then echo "$2"; else awk -v a="$1" -v b="$2" 'BEGIN { print (b < a ? b : a) }'; fi; }

echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); guest: $(basename "$VMLINUX"), $(basename "$INITRD"), $vcpus vCPU(s), $memory MiB; best of $repeat" >&2
declare -A best_ready best_prompt best_cpu failure
status=0
for variant in "${variants[@]}"; do
  for ((i = 1; i <= repeat; i++)); do
    # Runners alternate within each repetition, so load changes hit all of them alike.
    for runner in "${runner_list[@]}"; do
      key=$variant/$runner
      run_once "$runner" "$variant" "$variant-$runner-$i"
      if [ -n "$prompt" ]; then
        printf '  %-5s %-4s run %d: %s at %s s, prompt at %s s, %s CPU s\n' "$variant" "$runner" "$i" "$READY" \
          "$ready" "$prompt" "${cpu:-?}" >&2
        best_ready[$key]=$(min "${best_ready[$key]:-}" "$ready")
        best_prompt[$key]=$(min "${best_prompt[$key]:-}" "$prompt")
        [ -z "$cpu" ] || best_cpu[$key]=$(min "${best_cpu[$key]:-}" "$cpu")
      else
        printf '  %-5s %-4s run %d: did not reach the prompt (%s)\n' "$variant" "$runner" "$i" "$reason" >&2
        failure[$key]=$reason
      fi
    done
  done
done

header="| MMU |"
rule="|---|"
for r in "${runner_list[@]}"; do
  header+=" $r $READY (s) | $r prompt (s) | $r CPU (s) |"; rule+="---:|---:|---:|"
done
ratio=0
if [[ " ${runner_list[*]} " == *" qemu "* && " ${runner_list[*]} " == *" pvm "* ]]; then
  ratio=1; header+=" pvm/qemu prompt | pvm/qemu CPU |"; rule+="---:|---:|"
fi
echo "$header"
echo "$rule"
for variant in "${variants[@]}"; do
  row="| $variant |"
  for r in "${runner_list[@]}"; do
    key=$variant/$r
    if [ -n "${best_prompt[$key]:-}" ]; then
      row+=" ${best_ready[$key]} | ${best_prompt[$key]} | ${best_cpu[$key]:--} |"
    else
      row+=" - | did not reach the prompt | - |"
      status=1
    fi
  done
  if [ $ratio = 1 ]; then
    q=${best_prompt[$variant/qemu]:-} p=${best_prompt[$variant/pvm]:-}
    for pair in "$p $q" "${best_cpu[$variant/pvm]:-} ${best_cpu[$variant/qemu]:-}"; do
      read -r a b <<<"$pair"
      if [ -n "$a" ] && [ -n "$b" ]; then
        row+=" $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }') |"
      else
        row+=" n/a |"
      fi
    done
  fi
  echo "$row"
done
for variant in "${variants[@]}"; do
  for r in "${runner_list[@]}"; do
    key=$variant/$r
    if [ -z "${best_prompt[$key]:-}" ] && [ -n "${failure[$key]:-}" ]; then
      echo "$r ($variant) did not reach the prompt (${failure[$key]})"
    fi
  done
done
exit $status
