#!/usr/bin/env bash
# Builds pvm/jre-base, the base image of every pvm service image, without pulling anything: public base images
# cannot be pulled where pvm is built, so the base is made here from
#   - a JRE linked with jlink from the build's JDK 25 (modules listed in modules.txt), with a CDS archive, and
#   - the glibc files that JRE and the native libraries in the services' jars (Netty epoll, JNA) load, copied
#     from this Debian host and found by ldd, so the set follows the JRE rather than a hand-kept list,
# plus /etc/passwd and /etc/group for the unprivileged user pvm (65532) the services run as.
#
# Output: deploy/images/jre-base/target/jre-base.tar, a docker-archive (what `docker save` writes) with one layer.
# Jib reads it as its base image (tar://, see <pluginManagement> in the root pom.xml) and `podman load` takes it.
# It is rebuilt only when this script, modules.txt, the JDK or the host's glibc changed (about 20 s when it is).
#
# usage: deploy/images/jre-base/build.sh [--force]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=$HERE/target
ARCHIVE=$OUT/jre-base.tar
. "$ROOT/.mvn/select-jdk.sh"

die() { echo "jre-base: error: $*" >&2; exit 1; }
[ "$(uname -m)" = x86_64 ] || die "only x86_64 hosts are supported (this is $(uname -m))"
command -v ldd >/dev/null || die "ldd not found (Debian package libc-bin)"
command -v sha256sum >/dev/null || die "sha256sum not found (Debian package coreutils)"

MODULES=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$HERE/modules.txt" | tr -d '[:blank:]' | paste -sd, -)
JDK_VERSION=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release")
[ -n "$JDK_VERSION" ] || die "cannot read JAVA_RUNTIME_VERSION from $JAVA_HOME/release"
JDK_FEATURE=${JDK_VERSION%%[.+]*}
GLIBC_VERSION=$(dpkg-query -W -f '${Version}' libc6 2>/dev/null || ldd --version | head -n 1)
TAG="pvm/jre-base:$JDK_FEATURE"

KEY=$( { cat "$HERE/build.sh" "$HERE/modules.txt"; echo "$JAVA_HOME $JDK_VERSION $GLIBC_VERSION"; } | sha256sum | cut -c1-64)
if [ "${1:-}" != --force ] && [ -f "$ARCHIVE" ] && [ "$(cat "$OUT/jre-base.key" 2>/dev/null)" = "$KEY" ]; then
  echo "jre-base: up to date ($ARCHIVE)"
  exit 0
fi

START=$SECONDS
WORK=$OUT/work
rm -rf "$WORK" "$ARCHIVE" "$OUT/jre-base.key"
ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS"/{opt,etc,tmp,lib/x86_64-linux-gnu,lib64,home/pvm,var/lib/pvm,var/log/pvm}

echo "jre-base: jlink $JDK_VERSION ($MODULES)"
# No jimage compression: the layer is gzipped anyway, and uncompressed classes load faster. The CDS archive of
# the JDK's own classes saves a good part of each JVM start (an engine starts per VM).
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$ROOTFS/opt/java"
# AWT's X11, sound and splash-screen back ends are never loaded by a headless server (Spring Boot sets
# java.awt.headless); removing them keeps their X11/ALSA dependencies out of the image, so that every library
# left in the JRE has its whole closure below. The no-compressed-oops CDS archive only serves heaps over 32 GiB.
rm -f "$ROOTFS"/opt/java/lib/{libawt_xawt,libjawt,libjsound,libsplashscreen}.so \
  "$ROOTFS/opt/java/lib/server/classes_nocoops.jsa"

# Native libraries of the services' dependencies that are not in the JRE but load the same system libraries.
EXTRA_SONAMES="libgcc_s.so.1 libdl.so.2 librt.so.1 libpthread.so.0 libm.so.6"
resolve_soname() {
  local path
  path=$(ldconfig -p | awk -v n="$1" '$1 == n && /x86-64/ { print $NF; exit }')
  [ -n "$path" ] || die "system library $1 not found (ldconfig -p)"
  echo "$path"
}

declare -A LIBS=()
while IFS= read -r so; do
  while IFS= read -r line; do
    case "$line" in
      *"not found"*) die "$so needs a library this host lacks: $line" ;;
      *"=> /"*) dep=$(awk '{print $3}' <<<"$line")
                case "$dep" in "$ROOTFS"/*) ;; *) LIBS[$dep]=1 ;; esac ;;
    esac
  done < <(LD_LIBRARY_PATH="$ROOTFS/opt/java/lib:$ROOTFS/opt/java/lib/server" ldd "$so")
done < <(find "$ROOTFS/opt/java" -name '*.so')
for soname in $EXTRA_SONAMES; do LIBS[$(resolve_soname "$soname")]=1; done
for lib in "${!LIBS[@]}"; do
  cp -L "$lib" "$ROOTFS/lib/x86_64-linux-gnu/$(basename "$lib")"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$ROOTFS/lib64/ld-linux-x86-64.so.2"
echo "jre-base: system libraries: $(cd "$ROOTFS/lib/x86_64-linux-gnu" && ls | paste -sd ' ')"

cat > "$ROOTFS/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
pvm:x:65532:65532:pvm:/home/pvm:/sbin/nologin
EOF
cat > "$ROOTFS/etc/group" <<'EOF'
root:x:0:
pvm:x:65532:
EOF
# glibc looks up users (Java's user.home) and hosts (gRPC targets, the database) through NSS.
cat > "$ROOTFS/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
EOF
cat > "$ROOTFS/etc/os-release" <<EOF
NAME="pvm jre-base"
ID=pvm-jre-base
VERSION_ID=$JDK_VERSION
PRETTY_NAME="pvm jre-base (Temurin $JDK_VERSION, glibc $GLIBC_VERSION)"
EOF
chmod 1777 "$ROOTFS/tmp"
chmod 0755 "$ROOTFS/home/pvm" "$ROOTFS/var/lib/pvm" "$ROOTFS/var/log/pvm"

# One layer, reproducible: sorted names, fixed times, numeric owners. Everything is root's except the user's own
# directories, appended with owner 65532 (tar cannot give one file another owner within a single run).
LAYER=$WORK/layer.tar
OWNED='./home/pvm ./var/lib/pvm ./var/log/pvm'
TAR_OPTS=(--format=gnu --sort=name --mtime=@0 --numeric-owner -C "$ROOTFS")
# shellcheck disable=SC2086
tar "${TAR_OPTS[@]}" --owner=0 --group=0 $(printf -- '--exclude=%s ' $OWNED) -cf "$LAYER" .
# shellcheck disable=SC2086
tar "${TAR_OPTS[@]}" --owner=65532 --group=65532 -rf "$LAYER" $OWNED
DIFF_ID=$(sha256sum "$LAYER" | cut -c1-64)

ARCH_DIR=$WORK/archive
mkdir -p "$ARCH_DIR/$DIFF_ID"
gzip -n -6 -c "$LAYER" > "$ARCH_DIR/$DIFF_ID/layer.tar.gz"
CONFIG=$(cat <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"65532:65532","WorkingDir":"/home/pvm",
  "Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
  "Labels":{"org.opencontainers.image.title":"pvm jre-base","org.opencontainers.image.version":"$JDK_VERSION",
   "dev.pvm.jre.modules":"$MODULES","dev.pvm.glibc":"$GLIBC_VERSION"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$DIFF_ID"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/images/jre-base/build.sh"}]}
EOF
)
CONFIG_ID=$(printf '%s' "$CONFIG" | sha256sum | cut -c1-64)
printf '%s' "$CONFIG" > "$ARCH_DIR/$CONFIG_ID.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar.gz"]}]\n' \
  "$CONFIG_ID" "$TAG" "$DIFF_ID" > "$ARCH_DIR/manifest.json"
# Named entries, not ".": Jib refuses an archive entry "./" as one outside its destination.
tar --format=gnu --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$ARCH_DIR" -cf "$ARCHIVE" \
  manifest.json "$CONFIG_ID.json" "$DIFF_ID"

echo "$KEY" > "$OUT/jre-base.key"
rm -rf "$WORK"
echo "jre-base: $TAG -> $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1), $((SECONDS - START)) s)"
