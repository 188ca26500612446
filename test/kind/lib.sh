# shellcheck shell=bash
# Shared settings for the kind test scripts (test/kind). Sourced, not executed.
# Reuses the test cluster's Go caches and binaries (test/cluster/lib.sh) and adds its own
# cache, ~/.cache/crashlab-kind, for the Docker engine, kind, and the node image.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../cluster/lib.sh"
KIND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KCACHE="${CRASHLAB_KIND_CACHE:-$HOME/.cache/crashlab-kind}"
KBIN="$KCACHE/bin"                 # kind, kubeadm, kube-proxy, crictl, CNI plugins, coredns, …
KSTAMPS="$KCACHE/stamps"
# The private Docker engine: its own socket, data root (persistent: the node image lives
# there between runs), exec root and pidfile.
DOCKER_RUN="$KCACHE/run"
DOCKER_SOCK="$DOCKER_RUN/docker.sock"
DOCKER_DATA="$KCACHE/docker-data"
DOCKER_EXEC="$DOCKER_RUN/exec"
DOCKER_PID="$DOCKER_RUN/dockerd.pid"
# Docker's containers go under this cgroup parent, so teardown can find what is left.
DOCKER_CGROUP_PARENT="crashlab-kind"
# Networks docker may allocate (the kind network): far from the test cluster's 10.88/16.
DOCKER_POOL="172.29.0.0/16"

KIND_VERSION="${KIND_VERSION:-v0.33.0}"
NODE_IMAGE="crashlab.local/kind-node:$K8S_VERSION"

# Debian's docker CLI matches Debian's dockerd (20.10); put it and our tools first.
export PATH="$KCACHE/path:$KBIN:$PATH"
export DOCKER_HOST="unix://$DOCKER_SOCK"

kstamp_ok() { [[ -f "$KSTAMPS/$1" && "$(cat "$KSTAMPS/$1")" == "$2" ]]; }
kstamp_set() { mkdir -p "$KSTAMPS"; echo "$2" > "$KSTAMPS/$1"; }
skip() { echo "skipped: $*"; exit 0; }
