#!/usr/bin/env bash
# Fetches Debian's ppc64el kernel and busybox and builds a busybox initramfs
# for booting a pseries guest (issue 6), or just fetches busybox (issue 3's
# oracle tests). Everything is cached: a second run downloads nothing and
# rebuilds nothing unless an input changed.
#
# Usage:
#   scripts/debian-guest.sh [options]
#     --poweroff        initramfs whose /init prints the marker, runs a few
#                       commands and powers off (for benchmarks and tests);
#                       default: /init starts an interactive shell on the console
#     --busybox-only    fetch busybox-static only and print its path (one line)
#     --add SRC[:DEST]  copy a file into the initramfs (default DEST: /bin/NAME);
#                       repeatable; the output then gets its own name. The
#                       poweroff variant runs /etc/pvm-run, if added, before
#                       powering off
#     --output FILE     write the initramfs here instead of the cache
#     --cache DIR       cache directory (default: $PVM_CACHE_DIR, else .pvm/cache
#                       at the repository root)
#     --refresh         resolve the kernel package again (apt-cache) even if
#                       one is cached
#     --qemu            then boot it under qemu-system-ppc64 (TCG, VOF, 1 GiB):
#                       interactive for the shell variant; for --poweroff, timed
#                       to the marker and bounded by 120 s
#
# Output: progress on stderr; on stdout, for the guest, two lines
#   VMLINUX=/abs/path/vmlinux-...
#   INITRD=/abs/path/initramfs-....cpio.gz
# (so `eval "$(scripts/debian-guest.sh)"` works), or with --busybox-only the
# busybox path alone.
#
# Guest console protocol (what tests look for): /init prints the line
# PVM-GUEST-READY once /proc, /sys and /dev are mounted; the shell variant
# then prompts with "pvm# " on the console (hvc0, so boot with
# console=hvc0); the poweroff variant prints PVM-GUEST-POWEROFF just before
# `poweroff -f`.
#
# Needs: apt-get, apt-cache, dpkg-deb, cpio, gzip. The ppc64el architecture
# must be known to dpkg; when it is not, the script adds it (and runs
# apt-get update) if it runs as root, and otherwise says what to run.
set -euo pipefail

MARKER_READY=PVM-GUEST-READY
MARKER_OFF=PVM-GUEST-POWEROFF
ARCH=ppc64el

variant=shell
busybox_only=0
refresh=0
run_qemu=0
output=
adds=()
cache=

say() { printf '[debian-guest] %s\n' "$*" >&2; }
die() { printf '[debian-guest] error: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --poweroff) variant=poweroff ;;
    --busybox-only) busybox_only=1 ;;
    --add) [ $# -ge 2 ] || die "--add needs SRC[:DEST]"; adds+=("$2"); shift ;;
    --output) [ $# -ge 2 ] || die "--output needs a file"; output=$2; shift ;;
    --cache) [ $# -ge 2 ] || die "--cache needs a directory"; cache=$2; shift ;;
    --refresh) refresh=1 ;;
    --qemu) run_qemu=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${cache:-${PVM_CACHE_DIR:-$repo/.pvm/cache}}
dir=$cache/debian-$ARCH
mkdir -p "$dir/debs"
dir=$(cd "$dir" && pwd)

for tool in apt-get apt-cache dpkg-deb; do
  command -v "$tool" >/dev/null || die "$tool not found (a Debian/Ubuntu host is needed)"
done

# ---- apt: the foreign architecture and its package lists ----
apt_ready=0
ensure_apt() {
  [ $apt_ready = 1 ] && return
  if ! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
    if [ "$(id -u)" = 0 ]; then
      say "adding the $ARCH architecture to dpkg"
      dpkg --add-architecture "$ARCH"
    else
      die "dpkg does not know $ARCH; run once as root: dpkg --add-architecture $ARCH && apt-get update"
    fi
  fi
  if ! apt-cache show "busybox-static:$ARCH" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      say "apt-get update (fetching the $ARCH package lists)"
      # A mirror that is mid-sync can fail one index (e.g. security); what
      # matters is that the main archive's list arrives, checked just below.
      apt-get update >&2 || say "apt-get update reported errors; continuing with the lists it got"
    else
      die "apt has no $ARCH package lists; run as root: apt-get update"
    fi
    apt-cache show "busybox-static:$ARCH" >/dev/null 2>&1 || die "busybox-static:$ARCH still unknown to apt"
  fi
  apt_ready=1
}

# Download PKG (exact name, resolved version) into the cache unless a .deb
# for that version is already there; print the .deb's path.
fetch_deb() {
  local pkg=$1 ver=$2 deb
  deb=$(ls "$dir/debs/${pkg}_"*"_$ARCH.deb" 2>/dev/null | grep -F "_$(echo "$ver" | sed 's/:/%3a/')_" | head -1 || true)
  if [ -n "$deb" ]; then
    say "cached  $(basename "$deb")"
  else
    ensure_apt
    say "download $pkg:$ARCH $ver (apt-get download)"
    (cd "$dir/debs" && apt-get download -q "$pkg:$ARCH=$ver" >&2) || die "apt-get download $pkg failed"
    deb=$(ls "$dir/debs/${pkg}_"*"_$ARCH.deb" | grep -F "_$(echo "$ver" | sed 's/:/%3a/')_" | head -1)
  fi
  echo "$deb"
}

candidate() { apt-cache policy "$1:$ARCH" | awk '/Candidate:/ { print $2 }'; }

# ---- busybox ----
busybox=$dir/busybox
if [ ! -x "$busybox" ] || [ $refresh = 1 ]; then
  ensure_apt
  bbver=$(candidate busybox-static)
  [ -n "$bbver" ] && [ "$bbver" != "(none)" ] || die "no candidate for busybox-static:$ARCH"
  bbdeb=$(fetch_deb busybox-static "$bbver")
  say "extract bin/busybox"
  dpkg-deb --fsys-tarfile "$bbdeb" | tar -xO ./bin/busybox >"$busybox.tmp"
  chmod 755 "$busybox.tmp"
  mv "$busybox.tmp" "$busybox"
  echo "busybox-static $bbver" >"$dir/busybox.version"
else
  say "cached  busybox ($(cat "$dir/busybox.version" 2>/dev/null || echo unknown version))"
fi
if [ $busybox_only = 1 ]; then
  echo "$busybox"
  exit 0
fi

# ---- kernel: what linux-image-powerpc64le resolves to ----
kinfo=$dir/kernel.version   # "PACKAGE VERSION"
if [ ! -s "$kinfo" ] || [ $refresh = 1 ]; then
  ensure_apt
  meta=linux-image-powerpc64le
  kpkg=$(apt-cache depends "$meta:$ARCH" 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { sub(/:.*/, "", $2); print $2; exit }')
  [ -n "$kpkg" ] || die "could not resolve $meta:$ARCH to a kernel package"
  kver=$(candidate "$kpkg")
  say "$meta:$ARCH resolves to $kpkg $kver"
  echo "$kpkg $kver" >"$kinfo"
fi
read -r kpkg kver <"$kinfo"
kname=${kpkg#linux-image-}
vmlinux=$dir/vmlinux-$kname
if [ ! -s "$vmlinux" ]; then
  kdeb=$(fetch_deb "$kpkg" "$kver")
  say "extract boot/vmlinux-$kname"
  dpkg-deb --fsys-tarfile "$kdeb" | tar -xO "./boot/vmlinux-$kname" >"$vmlinux.tmp"
  mv "$vmlinux.tmp" "$vmlinux"
else
  say "cached  vmlinux-$kname ($kver)"
fi

# ---- initramfs ----
write_init() {
  cat <<EOF
#!/bin/busybox sh
# /init of the pvm busybox initramfs ($variant variant), built by scripts/debian-guest.sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/root TERM=vt100
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts 2>/dev/null
echo "$MARKER_READY"
EOF
  if [ $variant = shell ]; then
    cat <<'EOF'
echo "uptime: $(cat /proc/uptime)"
export PS1='pvm# '
# A session leader with the console as controlling terminal (cttyhack finds
# the real console device, hvc0), so job control and Ctrl-C work. Should
# the shell exit, start another: init must not return.
while true; do
  setsid cttyhack sh -l
done
EOF
  else
    cat <<EOF
echo "uptime: \$(cat /proc/uptime)"
echo "uname: \$(uname -m) \$(uname -r)"
echo "nproc: \$(nproc)"
grep -E '^(cpu|MMU|platform)' /proc/cpuinfo | sort -u
echo "nodes: \$(ls /sys/devices/system/node 2>/dev/null | grep -c '^node')"
# Hook for tests: a script added with --add FILE:/etc/pvm-run runs here.
if [ -x /etc/pvm-run ]; then /etc/pvm-run; fi
echo "$MARKER_OFF"
poweroff -f
EOF
  fi
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,root,etc,usr/bin,usr/sbin}
cp "$busybox" "$root/bin/busybox"
write_init >"$root/init"
chmod 755 "$root/init"
for a in "${adds[@]+"${adds[@]}"}"; do
  src=${a%%:*}
  dest=/bin/$(basename "$src")
  [ "$a" != "$src" ] && dest=${a#*:}
  [ -f "$src" ] || die "--add: no file $src"
  mkdir -p "$root$(dirname "$dest")"
  cp "$src" "$root$dest"
done

# The archive is reproducible from its inputs (fixed owner, sorted names,
# one mtime, gzip -n), so its hash tells whether anything changed.
find "$root" -exec touch -h -d @0 {} +
if [ -z "$output" ]; then
  suffix=
  if [ ${#adds[@]} -gt 0 ]; then
    suffix=-$( (cd "$root" && find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-12)
  fi
  output=$dir/initramfs-$variant$suffix.cpio.gz
fi
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9n) >"$stage/new.cpio.gz"
if [ -f "$output" ] && cmp -s "$stage/new.cpio.gz" "$output"; then
  say "cached  $(basename "$output")"
else
  mkdir -p "$(dirname "$output")"
  mv "$stage/new.cpio.gz" "$output"
  say "built   $(basename "$output") ($(stat -c %s "$output") bytes)"
fi
output=$(cd "$(dirname "$output")" && pwd)/$(basename "$output")

echo "VMLINUX=$vmlinux"
echo "INITRD=$output"

# ---- optional: boot it under QEMU ----
if [ $run_qemu = 1 ]; then
  command -v qemu-system-ppc64 >/dev/null || die "qemu-system-ppc64 not found"
  qemu=(qemu-system-ppc64 -M pseries,x-vof=on -accel tcg -m 1G -nodefaults -nographic
        -serial mon:stdio -kernel "$vmlinux" -initrd "$output" -append console=hvc0 -no-reboot)
  if [ $variant = shell ]; then
    say "booting under QEMU (Ctrl-A X quits)"
    exec "${qemu[@]}"
  fi
  say "booting under QEMU, timed to $MARKER_READY (limit 120 s)"
  start=$(date +%s.%N)
  ready=
  while IFS= read -r line; do
    line=${line%$'\r'}
    printf '  | %s\n' "$line" >&2
    if [ -z "$ready" ] && [ "$line" = "$MARKER_READY" ]; then
      ready=$(date +%s.%N)
    fi
  done < <(timeout 120 "${qemu[@]}" </dev/null 2>&1)
  end=$(date +%s.%N)
  [ -n "$ready" ] || die "no $MARKER_READY within 120 s"
  awk -v s="$start" -v r="$ready" -v e="$end" \
    'BEGIN { printf "[debian-guest] QEMU: %s after %.2f s, exited after %.2f s\n", "'$MARKER_READY'", r - s, e - s }' >&2
fi
