#!/usr/bin/env bash
# A second, simulated cluster for game-day scale runs beyond what one real node holds (~110 pods):
# etcd + kube-apiserver + kube-controller-manager + kube-scheduler from the test cluster's own
# binaries ($CACHE/bin, build.sh), plus kwok (kubernetes-sigs/kwok) faking nodes and pods:
# pods are scheduled onto fake nodes and marked Running with an IP, without kubelet or containers.
# What kwok cannot fake: container logs, exec, port-forward, real crash loops (a broken
# workload shows Running), network traffic. The board, provisioning, a round's release and
# `end` are all API work and measure as on a real cluster (minus the node's load).
#
#   bash test/cluster/kwok.sh up [NODES]   # default 12 fake nodes of 110 pods each
#   bash test/cluster/kwok.sh down         # stop it and delete its data dir
#   bash test/cluster/kwok.sh env          # prints: export KUBECONFIG=...
#   KWOK_KCM_QPS=20 bash test/cluster/kwok.sh restart-kcm    # kubeadm's default client QPS (default here: 100)
# Then: node scripts/gameday-bench.mjs --context crashlab-kwok --teams 1000 --kwok
#
# Everything listens on 127.0.0.1 on ports apart from the test cluster's (etcd 23379/23380,
# API server 26443, controller-manager 20257, scheduler 20259), data in $KWOK_DIR
# (default /tmp/crashlab-kwok). kwok is built once from the Go module proxy with the test
# cluster's Go settings (lib.sh go_env) into $CACHE/kwok/bin; its stage definitions (what
# happens to a node or pod, and when) are the module's own "fast" stages.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
KWOK_DIR="${KWOK_DIR:-/tmp/crashlab-kwok}"
KWOK_BIN="$CACHE/kwok/bin"
K_ETCD=23379 K_ETCD_PEER=23380 K_API=26443 K_KCM=20257 K_SCHED=20259
K_PKI="$KWOK_DIR/pki" K_LOGS="$KWOK_DIR/logs" K_KUBECONFIG="$KWOK_DIR/kubeconfig"
K_CONTEXT="crashlab-kwok"

k_start() { # k_start NAME CMD...
  local name="$1"; shift
  setsid "$@" >>"$K_LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$KWOK_DIR/$name.pid"
}
k_wait() { # k_wait NAME SECONDS CMD...
  local name="$1" secs="$2"; shift 2
  for ((i = 0; i < secs * 2; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  tail -20 "$K_LOGS/$name.log" >&2; die "$name did not come up in ${secs}s"
}

build_kwok() {
  [[ -x "$KWOK_BIN/kwok" ]] && return 0
  go_env
  mkdir -p "$KWOK_BIN"
  log "building kwok $KWOK_VERSION from the Go module proxy (several minutes on 2 cores)"
  (unset GOFLAGS; GOBIN="$KWOK_BIN" go install "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION")
}

pki() {
  mkdir -p "$K_PKI"; cd "$K_PKI"
  [[ -f done ]] && return 0
  openssl genrsa -out ca.key 2048 2>/dev/null
  openssl req -x509 -new -nodes -key ca.key -sha256 -days 30 -subj "/CN=crashlab-kwok-ca" -out ca.crt
  local name cn o ext
  for name in apiserver admin; do
    if [[ $name == apiserver ]]; then cn=kube-apiserver o="" ext="extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.97.0.1"
    else cn=crashlab-admin o="/O=system:masters" ext="extendedKeyUsage=clientAuth"; fi
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n%s\n' "$ext" >"$name.ext"
    openssl genrsa -out "$name.key" 2048 2>/dev/null
    openssl req -new -key "$name.key" -subj "$o/CN=$cn" -out "$name.csr"
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -sha256 -extfile "$name.ext" -out "$name.crt" 2>/dev/null
    rm -f "$name.csr" "$name.ext"
  done
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  touch done
  cd - >/dev/null
}

start_kcm() {
  # Client QPS 100, burst 200 by default, as the test cluster (up.sh) and crashlab's kind
  # config: a round is ~4 controller-manager writes per team. KWOK_KCM_QPS=20 reproduces
  # kubeadm's default (burst is always twice the QPS; kubeadm's own 20/30 differs only there).
  local qps="${KWOK_KCM_QPS:-100}"
  [[ "$qps" =~ ^[1-9][0-9]*$ ]] || { echo "KWOK_KCM_QPS must be a positive integer, got '$qps'" >&2; return 1; }
  k_start kube-controller-manager "$BIN/kube-controller-manager" --kube-api-qps "$qps" --kube-api-burst "$((qps * 2))" --kubeconfig "$K_KUBECONFIG" \
    --authentication-kubeconfig "$K_KUBECONFIG" --authorization-kubeconfig "$K_KUBECONFIG" \
    --bind-address 127.0.0.1 --secure-port "$K_KCM" --leader-elect=false \
    --service-account-private-key-file "$K_PKI/sa.key" --root-ca-file "$K_PKI/ca.crt" \
    --use-service-account-credentials=false --service-cluster-ip-range 10.97.0.0/16 \
    --controllers '*,-nodeipam,-nodelifecycle,-ttl' --profiling=false --v=1
  k_wait kube-controller-manager 60 curl -fsSk "https://127.0.0.1:$K_KCM/healthz"
}

up() {
  local nodes="${1:-12}"
  go_env
  build_kwok
  if [[ -f "$KWOK_DIR/up.done" ]] && kubectl --kubeconfig "$K_KUBECONFIG" get --raw /readyz >/dev/null 2>&1; then
    log "kwok cluster already up: export KUBECONFIG=$K_KUBECONFIG"; return 0
  fi
  mkdir -p "$K_LOGS"
  pki
  kubectl config --kubeconfig "$K_KUBECONFIG" set-cluster "$K_CONTEXT" --server "https://127.0.0.1:$K_API" --certificate-authority "$K_PKI/ca.crt" --embed-certs >/dev/null
  kubectl config --kubeconfig "$K_KUBECONFIG" set-credentials crashlab-admin --client-certificate "$K_PKI/admin.crt" --client-key "$K_PKI/admin.key" --embed-certs >/dev/null
  kubectl config --kubeconfig "$K_KUBECONFIG" set-context "$K_CONTEXT" --cluster "$K_CONTEXT" --user crashlab-admin >/dev/null
  kubectl config --kubeconfig "$K_KUBECONFIG" use-context "$K_CONTEXT" >/dev/null
  chmod 600 "$K_KUBECONFIG"

  k_start etcd "$BIN/etcd" --name kwok --data-dir "$KWOK_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$K_ETCD" --advertise-client-urls "http://127.0.0.1:$K_ETCD" \
    --listen-peer-urls "http://127.0.0.1:$K_ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$K_ETCD_PEER" \
    --initial-cluster "kwok=http://127.0.0.1:$K_ETCD_PEER" --listen-metrics-urls "" \
    --quota-backend-bytes 2147483648 --log-level warn
  k_wait etcd 60 curl -fsS "http://127.0.0.1:$K_ETCD/health"

  k_start kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$K_ETCD" \
    --bind-address 127.0.0.1 --secure-port "$K_API" --advertise-address 127.0.0.1 \
    --client-ca-file "$K_PKI/ca.crt" --tls-cert-file "$K_PKI/apiserver.crt" --tls-private-key-file "$K_PKI/apiserver.key" \
    --service-account-key-file "$K_PKI/sa.pub" --service-account-signing-key-file "$K_PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.97.0.0/16 --authorization-mode RBAC \
    --allow-privileged=true --profiling=false --v=1
  k_wait kube-apiserver 120 kubectl --kubeconfig "$K_KUBECONFIG" get --raw /readyz

  start_kcm
  k_start kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$K_KUBECONFIG" \
    --authentication-kubeconfig "$K_KUBECONFIG" --authorization-kubeconfig "$K_KUBECONFIG" \
    --bind-address 127.0.0.1 --secure-port "$K_SCHED" --leader-elect=false --profiling=false --v=1
  k_wait kube-scheduler 60 curl -fsSk "https://127.0.0.1:$K_SCHED/healthz"

  local stages="$GOMODCACHE/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage"
  { for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
      cat "$stages/$f"; echo "---"; done; } >"$KWOK_DIR/stages.yaml"
  k_start kwok "$KWOK_BIN/kwok" --kubeconfig "$K_KUBECONFIG" --config "$KWOK_DIR/stages.yaml" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --cidr 10.244.0.0/16 \
    --node-lease-duration-seconds 40 --server-address 127.0.0.1:20263 -v WARN

  for ((n = 0; n < nodes; n++)); do
    cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$n
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-$n, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
status:
  allocatable: {cpu: "64", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
  capacity: {cpu: "64", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
EOF
    echo "---"
  done | kubectl --kubeconfig "$K_KUBECONFIG" apply -f - >/dev/null
  k_wait kwok 60 kubectl --kubeconfig "$K_KUBECONFIG" wait --for=condition=Ready node --all --timeout=10s
  # The API server's admission taints a new node not-ready; the node lifecycle controller that
  # would lift it is off (kwok's leases keep the nodes Ready), so lift it once here.
  kubectl --kubeconfig "$K_KUBECONFIG" taint nodes --all node.kubernetes.io/not-ready:NoSchedule- >/dev/null
  k_wait kube-controller-manager 60 kubectl --kubeconfig "$K_KUBECONFIG" get serviceaccount default -n default
  touch "$KWOK_DIR/up.done"
  log "kwok cluster up ($nodes fake nodes): export KUBECONFIG=$K_KUBECONFIG  # context $K_CONTEXT"
}

down() {
  local name pid
  for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    pid="$(cat "$KWOK_DIR/$name.pid" 2>/dev/null)" || continue
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$KWOK_DIR"
  log "kwok cluster down"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  restart-kcm) # with another KWOK_KCM_QPS, keeping the cluster
    kill "$(cat "$KWOK_DIR/kube-controller-manager.pid")"; sleep 2; start_kcm ;;
  down) down ;;
  env) echo "export KUBECONFIG=$K_KUBECONFIG" ;;
  *) die "usage: $0 up [NODES] | down | env" ;;
esac
