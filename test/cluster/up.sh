#!/usr/bin/env bash
# Start the hermetic single-node test cluster: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, containerd (own root/state/socket), kubelet, a CNI bridge, kube-proxy,
# kube-router's NetworkPolicy firewall and CoreDNS (addons.sh). Everything
# listens on 127.0.0.1 or on the pod bridge ($CNI_BRIDGE, 10.88.0.1/16) of this machine.
# Writes $RUN/kubeconfig with context crashlab-local; waits for node Ready + default SA.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $EUID -eq 0 ]] || die "must run as root (containerd, kubelet, cgroups, mounts)"
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy kube-router containerd containerd-shim-runc-v2 ctr; do
  [[ -x "$BIN/$b" ]] || die "missing $BIN/$b: run test/cluster/build.sh first"
done
[[ -f "$CACHE/images/busybox.tar" && -f "$CACHE/images/pause.tar" && -f "$CACHE/images/coredns.tar" ]] || die "missing images: run build.sh"
[[ -f "$CACHE/images/busybox-$FOREIGN_ARCH.tar" ]] || die "missing the $FOREIGN_ARCH busybox image: run build.sh foreign-arch"
[[ -f "$CACHE/images/curl.tar" && -f "$CACHE/images/openssl.tar" ]] || die "missing the curl/openssl images: run build.sh tls-images"
command -v runc >/dev/null || die "runc missing (apt-get install runc)"
[[ -x "$CNI_BIN_DIR/bridge" ]] || die "CNI plugins missing (apt-get install containernetworking-plugins)"
command -v ipset >/dev/null || die "ipset missing (apt-get install ipset): kube-router enforces NetworkPolicy with it"

if [[ -f "$RUN/up.done" ]] && "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz >/dev/null 2>&1; then
  log "cluster already up"; exit 0
fi
# A half-started or stale cluster: clean up first.
[[ -d "$RUN" ]] && bash "$CLUSTER_DIR/down.sh"

mkdir -p "$RUN" "$LOGS" "$CNI_CONF_DIR" "$RUN/cni/ipam" "$RUN/pods-logs"
UP_T0=$SECONDS

# ---- kernel tunables: kubelet sets these itself (protectKernelDefaults=false); remember
# the host's values so down.sh can put them back.
for k in net.ipv4.ip_forward vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes; do
  echo "$k=$(sysctl -n "$k")"
done > "$RUN/sysctl.before"
ls /run/netns 2>/dev/null > "$RUN/netns.before" || true
# kubelet adds iptables chains (KUBE-FIREWALL, KUBE-KUBELET-CANARY, KUBE-IPTABLES-HINT);
# down.sh removes those that were not there before.
for ipt in iptables ip6tables; do
  for t in filter nat mangle; do "$ipt" -t "$t" -S 2>/dev/null | awk -v p="$ipt $t" '$1 == "-N" && $2 ~ /^KUBE-/ {print p, $2}'; done
done > "$RUN/iptables.before"

phase certs bash "$CLUSTER_DIR/certs.sh"

# ---- network: the pod bridge, owned by us, with the node's address. No NAT, no default
# route: pods reach each other, this host and (via kube-proxy, addons.sh) Services.
setup_bridge() {
  ip link show "$CNI_BRIDGE" >/dev/null 2>&1 || ip link add "$CNI_BRIDGE" type bridge
  ip addr replace "$NODE_IP/16" dev "$CNI_BRIDGE"
  ip link set "$CNI_BRIDGE" up
  write_cni_conf
}
phase bridge setup_bridge

kubeconfig "$KUBECONFIG_FILE" crashlab-admin admin
kubeconfig "$RUN/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
kubeconfig "$RUN/scheduler.kubeconfig" system:kube-scheduler scheduler
kubeconfig "$RUN/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet
chmod 600 "$RUN"/*.kubeconfig "$KUBECONFIG_FILE"

# ---- etcd
start_etcd() {
  start etcd "$BIN/etcd" --name crashlab --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "crashlab=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" \
    --quota-backend-bytes 2147483648 --log-level warn
  wait_for etcd 60 curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health"
}
phase etcd start_etcd

# ---- kube-apiserver
start_apiserver() {
  start kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address 127.0.0.1 --secure-port "$APISERVER_PORT" --advertise-address "$NODE_IP" \
    --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --allow-privileged=true --profiling=false --v=1
  wait_for kube-apiserver 120 "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz
}
phase kube-apiserver start_apiserver

start_controllers() {
  # Client QPS 100, burst 200 (kubeadm's default is 20/30): a game-day round is ~4
  # controller-manager writes per team, so at 20 QPS 100 teams get their pods over ~20 s;
  # kind/crashlab.yaml sets the same (docs/gameday-scale.md).
  start kube-controller-manager "$BIN/kube-controller-manager" \
    --kube-api-qps 100 --kube-api-burst 200 \
    --kubeconfig "$RUN/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$RUN/controller-manager.kubeconfig" --authorization-kubeconfig "$RUN/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range "$SERVICE_CIDR" \
    --allocate-node-cidrs=true --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 16 \
    --profiling=false --v=1
  start kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig "$RUN/scheduler.kubeconfig" \
    --authentication-kubeconfig "$RUN/scheduler.kubeconfig" --authorization-kubeconfig "$RUN/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --profiling=false --v=1
  wait_for kube-controller-manager 60 curl -fsSk https://127.0.0.1:10257/healthz
  wait_for kube-scheduler 60 curl -fsSk https://127.0.0.1:10259/healthz
}
phase controllers start_controllers

# ---- containerd
start_containerd() {
  mkdir -p "$CONTAINERD_ROOT" "$CONTAINERD_STATE" "$RUN/containerd/runc"
  cat > "$RUN/containerd/config.toml" <<EOC
version = 3
root = "$CONTAINERD_ROOT"
state = "$CONTAINERD_STATE"
disabled_plugins = ["io.containerd.nri.v1.nri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$CONTAINERD_SOCK"

[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"

[debug]
  address = "$CONTAINERD_SOCK.debug"
  level = "info"

[metrics]
  address = ""

[plugins]
  [plugins.'io.containerd.internal.v1.opt']
    path = "$RUN/containerd/opt"
  [plugins.'io.containerd.grpc.v1.cri']
    disable_tcp_service = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
  [plugins.'io.containerd.cri.v1.images']
    snapshotter = "overlayfs"
    max_concurrent_downloads = 1
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = "$PAUSE_IMAGE"
  [plugins.'io.containerd.cri.v1.runtime']
    enable_selinux = false
    # This VM gives root no CAP_SYS_RESOURCE, so a negative oom_score_adj (kubelet asks -998
    # for sandboxes, -997 for Guaranteed pods) makes runc fail with "can't get final child's
    # PID from pipe: EOF". Clamp to containerd's own value instead (as rootless setups do).
    restrict_oom_score_adj = true
    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      default_runtime_name = "runc"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
          BinaryName = "$(command -v runc)"
          Root = "$RUN/containerd/runc"
          SystemdCgroup = false
    [plugins.'io.containerd.cri.v1.runtime'.cni]
      bin_dirs = ["$CNI_BIN_DIR"]
      conf_dir = "$CNI_CONF_DIR"
      max_conf_num = 1
EOC
  start containerd "$BIN/containerd" --config "$RUN/containerd/config.toml"
  wait_for containerd 60 "$BIN/ctr" --address "$CONTAINERD_SOCK" version
  "$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images import --local "$CACHE/images/pause.tar" >/dev/null
  "$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images import --local "$CACHE/images/busybox.tar" >/dev/null
  local images; images="$("$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images ls -q)"
  grep -qx "$PAUSE_IMAGE" <<<"$images" || die "pause image not imported"
  grep -qx "$BUSYBOX_IMAGE" <<<"$images" || die "busybox image not imported"
  # runtime-issue (foreign-arch): the other architecture's busybox; ctr skips a foreign platform
  # unless asked for it.
  "$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images import --local --platform "linux/$FOREIGN_ARCH" "$CACHE/images/busybox-$FOREIGN_ARCH.tar" >/dev/null
  images="$("$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images ls -q)"
  grep -qx "$FOREIGN_BUSYBOX_IMAGE" <<<"$images" || die "$FOREIGN_ARCH busybox image not imported"
  # time-tls (expired-ca): curl and openssl under their public names.
  "$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images import --local "$CACHE/images/curl.tar" >/dev/null
  "$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images import --local "$CACHE/images/openssl.tar" >/dev/null
  images="$("$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images ls -q)"
  grep -qx "$CURL_IMAGE" <<<"$images" || die "curl image not imported"
  grep -qx "$OPENSSL_IMAGE" <<<"$images" || die "openssl image not imported"
}
phase containerd start_containerd

# ---- kubelet
start_kubelet() {
  mkdir -p "$KUBELET_ROOT"
  cat > "$RUN/kubelet-config.yaml" <<EOC
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
healthzBindAddress: 127.0.0.1
healthzPort: 10248
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization:
  mode: Webhook
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
podLogsDir: $RUN/pods-logs
# Imported images cannot be pulled again: never garbage-collect them, never evict.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: "100Mi"
  nodefs.available: "1%"
  imagefs.available: "1%"
  nodefs.inodesFree: "1%"
# A fork bomb stops at its own pod's limit, and all pods together leave the host 4096 pids
# (this machine's pid_max is 32768): the game-day abuse rows rely on both.
podPidsLimit: 1024
systemReserved: {pid: "4096"}
# Kernel tunables: kubelet sets them (see README); down.sh restores the host's values.
protectKernelDefaults: false
# Default CrashLoopBackOff (10s doubling to 300s): no feature gates, no crashLoopBackOff block.
# CoreDNS (addons.sh) answers on this ClusterIP; pods use the ClusterFirst policy as on kind.
clusterDNS: ["$CLUSTER_DNS_IP"]
clusterDomain: cluster.local
registerNode: true
serializeImagePulls: true
EOC
  start kubelet "$BIN/kubelet" --config "$RUN/kubelet-config.yaml" --kubeconfig "$RUN/kubelet.kubeconfig" \
    --root-dir "$KUBELET_ROOT" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=2
  wait_for kubelet 120 "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s
}
phase kubelet start_kubelet

wait_sa() {
  wait_for kube-controller-manager 60 "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" -n default get serviceaccount default
}
phase default-serviceaccount wait_sa
# kube-proxy and CoreDNS: Services, ClusterIPs and DNS names (also added live to a running cluster).
phase addons bash "$CLUSTER_DIR/addons.sh"
touch "$RUN/up.done"
log "cluster up in $((SECONDS - UP_T0))s: export KUBECONFIG=$KUBECONFIG_FILE  (context $CONTEXT_NAME)"
