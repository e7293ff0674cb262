# Sourced by ./mvnw, ./pvm and .ci/run: makes JAVA_HOME point at a JDK 25 or newer.
# The machine's default java may be older (Debian ships 17); the build needs release 25.
# The JDK's release file names its version without starting a JVM (0.3 s of CPU on every ./pvm command);
# a JDK without one is asked.
pvm_java_major() {
  local release major
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1)
    if [ -n "$major" ]; then echo "$major"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
pvm_select_jdk() {
  local candidate major
  # The JDK of the javac on PATH comes last (resolving it costs a few processes).
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 \
                   /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/jdk-25* PATH; do
    if [ "$candidate" = PATH ]; then
      candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")
    fi
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(pvm_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "error: no JDK 25 found. Install Temurin 25 (or any JDK >= 25) and set JAVA_HOME to it." >&2
  return 1
}
pvm_select_jdk || exit 1
