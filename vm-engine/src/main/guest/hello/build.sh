#!/bin/sh
# Builds the hello guest in both byte orders: hello-be.elf (big-endian) and hello-le.elf (little-endian).
#
#   build.sh [OUTPUT_DIR]      default: the engine's resources (src/main/resources/dev/pvm/engine/guest)
#
# Needs binutils for powerpc64 and powerpc64le (Debian: binutils-powerpc64-linux-gnu and
# binutils-powerpc64le-linux-gnu). The output is reproducible: no build id, no timestamps, and the assembler
# sees the same relative file name wherever the checkout is. HelloGuestBuildTest rebuilds the guest with this
# script and checks that the committed binaries match byte for byte.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../resources/dev/pvm/engine/guest}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"
powerpc64-linux-gnu-as -a64 -mbig -mpower9 -o "$work/hello-be.o" hello.s
powerpc64-linux-gnu-ld -T hello.ld -n --build-id=none --no-warn-rwx-segments -o "$work/hello-be.elf" "$work/hello-be.o"
powerpc64le-linux-gnu-as -a64 -mlittle -mpower9 --defsym LITTLE=1 -o "$work/hello-le.o" hello.s
powerpc64le-linux-gnu-ld -T hello.ld -n --build-id=none --no-warn-rwx-segments -o "$work/hello-le.elf" "$work/hello-le.o"
cp "$work/hello-be.elf" "$work/hello-le.elf" "$out/"
chmod 644 "$out/hello-be.elf" "$out/hello-le.elf"
