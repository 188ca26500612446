# shellcheck shell=bash
# Shared settings for the crashlab test cluster scripts. Sourced, not executed.
set -euo pipefail

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${CRASHLAB_CLUSTER_CACHE:-$HOME/.cache/crashlab-cluster}"
BIN="$CACHE/bin"
RUN="$CACHE/run"          # runtime state of a started cluster (certs, data, logs, sockets)
LOGS="$RUN/logs"

# Pinned versions (newest patch served by the Go module proxy when chosen).
K8S_VERSION="${K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CONTAINERD_VERSION="${CONTAINERD_VERSION:-v2.1.9}"

# Cluster parameters. Everything listens on loopback; pods live on a local bridge.
CONTEXT_NAME="crashlab-local"
CLUSTER_NAME="crashlab-local"
NODE_NAME="${CRASHLAB_NODE_NAME:-crashlab-node}"
POD_CIDR="10.88.0.0/16"
SERVICE_CIDR="10.96.0.0/16"
APISERVER_PORT="${CRASHLAB_APISERVER_PORT:-16443}"
ETCD_CLIENT_PORT="${CRASHLAB_ETCD_PORT:-12379}"
ETCD_PEER_PORT="${CRASHLAB_ETCD_PEER_PORT:-12380}"
KUBELET_PORT="${CRASHLAB_KUBELET_PORT:-10250}"
CONTAINERD_ROOT="$RUN/containerd/root"
CONTAINERD_STATE="$RUN/containerd/state"
CONTAINERD_SOCK="$RUN/containerd/containerd.sock"
KUBELET_ROOT="$RUN/kubelet"
CNI_BRIDGE="crashlab0"
CNI_CONF_DIR="$RUN/cni/net.d"
CNI_BIN_DIR="/usr/lib/cni"
KUBECONFIG_FILE="$RUN/kubeconfig"
PAUSE_IMAGE="registry.k8s.io/pause:3.10.1"
BUSYBOX_IMAGE="docker.io/library/busybox:1.36"

export PATH="$BIN:/usr/sbin:/sbin:$PATH"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# phase NAME CMD... : run a command and print how long it took.
phase() {
  local name="$1"; shift
  local t0=$SECONDS TIMEFORMAT="[cpu] phase $name: %0Rs wall, %0Us user + %0Ss sys CPU (children included)"
  log "phase $name: start"
  time "$@"
  log "phase $name: done in $((SECONDS - t0))s"
}

go_env() {
  export GOMODCACHE="$CACHE/gomod" GOCACHE="$CACHE/gocache"
  export GOFLAGS="-mod=mod -buildvcs=false"
  export GOTOOLCHAIN=local
  # Two cores shared with other work: one package compiled at a time per core.
  export GOMAXPROCS="${CRASHLAB_BUILD_PROCS:-2}"
}
