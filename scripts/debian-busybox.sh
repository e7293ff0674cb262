#!/usr/bin/env bash
# Fetches Debian's busybox-static for ppc64el (cached, like debian-guest.sh)
# and prints the path of the static busybox binary on stdout, one line.
# Issue 3's oracle tests run it under qemu-ppc64le and `./pvm user`.
#
# Usage: scripts/debian-busybox.sh [--cache DIR] [--refresh]
exec "$(dirname "$0")/debian-guest.sh" --busybox-only "$@"
