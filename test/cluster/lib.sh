# shellcheck shell=bash
# Shared settings for the crashlab test cluster scripts. Sourced, not executed.
set -euo pipefail

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${CRASHLAB_CLUSTER_CACHE:-$HOME/.cache/crashlab-cluster}"
BIN="$CACHE/bin"
RUN="$CACHE/run"          # runtime state of a started cluster (certs, data, logs, sockets)
LOGS="$RUN/logs"
PKI="$RUN/pki"

# Pinned versions (newest patch served by the Go module proxy when chosen).
K8S_VERSION="${K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CONTAINERD_VERSION="${CONTAINERD_VERSION:-v2.1.9}"
COREDNS_VERSION="${COREDNS_VERSION:-v1.15.0}"

# Cluster parameters. Everything listens on loopback; pods live on a local bridge.
CONTEXT_NAME="crashlab-local"
CLUSTER_NAME="crashlab-local"
NODE_NAME="${CRASHLAB_NODE_NAME:-crashlab-node}"
POD_CIDR="10.88.0.0/16"
SERVICE_CIDR="10.96.0.0/16"
NODE_IP="10.88.0.1"       # the bridge's address: node IP, pods' gateway to Services
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
# runtime-issue (scenarios/foreign-arch): busybox for the other architecture, under the digest
# of busybox:1.36's linux/arm64 manifest on Docker Hub that the scenario names. Built from
# Debian's busybox-static:arm64 (build.sh foreign-arch), imported by up.sh.
FOREIGN_ARCH="arm64"
FOREIGN_BUSYBOX_IMAGE="docker.io/library/busybox@sha256:5e42fbc46b177f10319e8937dd39702e7891ce6d8a42d60c1b4f433f94200bd2"
# time-tls (scenarios/expired-ca): Debian's curl and openssl on busybox, under the public names the
# scenario runs (build.sh tls-images, imported by up.sh), as busybox is.
CURL_IMAGE="docker.io/curlimages/curl:8.12.1"
OPENSSL_IMAGE="docker.io/alpine/openssl:3.3.2"
# Our build of CoreDNS (a chosen plugin set), so not under the upstream registry's name.
COREDNS_IMAGE="localhost/crashlab/coredns:$COREDNS_VERSION"
CLUSTER_DNS_IP="10.96.0.10"

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

# start NAME CMD... : run a daemon in its own session, log to $LOGS/NAME.log, pid in $RUN/NAME.pid
start() {
  local name="$1"; shift
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}
alive() { local p; p="$(cat "$RUN/$1.pid" 2>/dev/null)" && kill -0 "$p" 2>/dev/null; }
# wait_for NAME SECONDS CMD... : poll CMD until it succeeds; fail with the log tail if NAME died
wait_for() {
  local name="$1" secs="$2"; shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ! alive "$name"; then tail -n 30 "$LOGS/$name.log" >&2; die "$name exited"; fi
    ((SECONDS < end)) || { tail -n 30 "$LOGS/$name.log" >&2; die "$name not ready after ${secs}s"; }
    sleep 0.5
  done
}

# The pod network: bridge + host-local. Pods get one route besides their /16: the Service
# CIDR via the node, where kube-proxy's iptables rules DNAT ClusterIPs (no default route, no
# NAT: pods still reach only each other, this host and Services).
write_cni_conf() {
  mkdir -p "$CNI_CONF_DIR"
  cat > "$CNI_CONF_DIR/10-crashlab.conflist.tmp" <<EOC
{
  "cniVersion": "1.0.0",
  "name": "crashlab",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$RUN/cni/ipam",
        "ranges": [[{ "subnet": "$POD_CIDR", "rangeStart": "10.88.0.10", "rangeEnd": "10.88.255.250", "gateway": "$NODE_IP" }]],
        "routes": [{ "dst": "$SERVICE_CIDR", "gw": "$NODE_IP" }]
      }
    }
  ]
}
EOC
  # Renamed into place: containerd watches the directory and must never read half a file.
  mv "$CNI_CONF_DIR/10-crashlab.conflist.tmp" "$CNI_CONF_DIR/10-crashlab.conflist"
}

kubeconfig() { # kubeconfig FILE USER CERTNAME
  local f="$1" user="$2" c="$3"
  "$BIN/kubectl" config --kubeconfig "$f" set-cluster "$CLUSTER_NAME" --server "https://127.0.0.1:$APISERVER_PORT" \
    --certificate-authority "$PKI/ca.crt" --embed-certs >/dev/null
  "$BIN/kubectl" config --kubeconfig "$f" set-credentials "$user" --client-certificate "$PKI/$c.crt" \
    --client-key "$PKI/$c.key" --embed-certs >/dev/null
  "$BIN/kubectl" config --kubeconfig "$f" set-context "$CONTEXT_NAME" --cluster "$CLUSTER_NAME" --user "$user" >/dev/null
  "$BIN/kubectl" config --kubeconfig "$f" use-context "$CONTEXT_NAME" >/dev/null
}
