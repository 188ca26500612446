#!/usr/bin/env bash
# kube-proxy (a host daemon, iptables mode), kube-router's NetworkPolicy firewall (a host daemon)
# and CoreDNS (test/cluster/coredns.yaml) on the running test cluster: Services, ClusterIPs, DNS
# names and NetworkPolicy work afterwards. up.sh runs it as its
# last phase; on a cluster started before addons existed it adds both live (no restart of
# anything else: the kubelet already names $CLUSTER_DNS_IP as clusterDNS). Idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $EUID -eq 0 ]] || die "must run as root (iptables, sysctl)"
[[ -x "$BIN/kube-proxy" && -x "$BIN/kube-router" && -f "$CACHE/images/coredns.tar" ]] || die "missing kube-proxy, kube-router or the CoreDNS image: run build.sh all"
export KUBECONFIG="$KUBECONFIG_FILE"
K=("$BIN/kubectl" --context "$CONTEXT_NAME")
"${K[@]}" get --raw /readyz >/dev/null 2>&1 || die "cluster not up"
mkdir -p "$LOGS"

# ---- routing for ClusterIP traffic: pods send it to the node (their CNI route), kube-proxy
# DNATs it to an endpoint pod on the same bridge, so the node must forward. The host's value is
# remembered for down.sh (a cluster started before this line existed gets it appended now).
grep -q '^net.ipv4.ip_forward=' "$RUN/sysctl.before" 2>/dev/null || echo "net.ipv4.ip_forward=$(sysctl -n net.ipv4.ip_forward)" >> "$RUN/sysctl.before"
sysctl -qw net.ipv4.ip_forward=1
# New pods get the route to the Service CIDR (containerd re-reads the CNI directory on change).
grep -q "\"dst\": \"$SERVICE_CIDR\"" "$CNI_CONF_DIR/10-crashlab.conflist" 2>/dev/null || write_cni_conf

# ---- kube-proxy
start_kube_proxy() {
  bash "$CLUSTER_DIR/certs.sh"
  kubeconfig "$RUN/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
  chmod 600 "$RUN/kube-proxy.kubeconfig"
  # Hermetic: no conntrack sysctl changes (maxPerCore/min/timeouts 0 = leave as is), no
  # route_localnet (localhostNodePorts false), NodePorts only on the bridge address.
  cat > "$RUN/kube-proxy-config.yaml" <<EOC
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $RUN/kube-proxy.kubeconfig
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
iptables:
  localhostNodePorts: false
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
EOC
  start kube-proxy "$BIN/kube-proxy" --config "$RUN/kube-proxy-config.yaml" --v=1
  wait_for kube-proxy 60 curl -fsS http://127.0.0.1:10256/healthz
}
if alive kube-proxy; then log "kube-proxy: running"; else phase kube-proxy start_kube_proxy; fi

# ---- NetworkPolicy: kube-router's firewall controller alone (no BGP routing, no service proxy:
# the bridge and kube-proxy keep those jobs). It filters in iptables FORWARD/OUTPUT with ipsets of
# pod IPs; pods on one bridge talk at layer 2, so their traffic meets iptables only with
# br_netfilter's bridge-nf-call-iptables on (also what kube-proxy's ClusterIP replies need).
start_kube_router() {
  bash "$CLUSTER_DIR/certs.sh"
  kubeconfig "$RUN/kube-router.kubeconfig" system:kube-router kube-router
  chmod 600 "$RUN/kube-router.kubeconfig"
  "${K[@]}" apply -f - >/dev/null <<'EOY'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: crashlab-kube-router}
rules:
- apiGroups: [""]
  resources: [namespaces, pods, services, nodes, endpoints]
  verbs: [get, list, watch]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crashlab-kube-router}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: crashlab-kube-router}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: system:kube-router}]
EOY
  start kube-router "$BIN/kube-router" --kubeconfig "$RUN/kube-router.kubeconfig" \
    --run-firewall=true --run-router=false --run-service-proxy=false --enable-cni=false \
    --enable-ipv4=true --enable-ipv6=false --hostname-override "$NODE_NAME" \
    --service-cluster-ip-range "$SERVICE_CIDR" --health-port 20244 --metrics-port 0 --v=1
  # Healthy once its first policy sync has written its chains.
  wait_for kube-router 60 curl -fsS http://127.0.0.1:20244/healthz
  wait_for kube-router 60 iptables -S KUBE-ROUTER-FORWARD
}
command -v ipset >/dev/null || die "ipset missing (apt-get install ipset)"
modprobe br_netfilter 2>/dev/null || true
if [[ "$(sysctl -n net.bridge.bridge-nf-call-iptables 2>/dev/null)" != 1 ]]; then
  grep -q '^net.bridge.bridge-nf-call-iptables=' "$RUN/sysctl.before" 2>/dev/null ||
    echo "net.bridge.bridge-nf-call-iptables=$(sysctl -n net.bridge.bridge-nf-call-iptables 2>/dev/null || echo 0)" >> "$RUN/sysctl.before"
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 || die "cannot turn on net.bridge.bridge-nf-call-iptables (br_netfilter): NetworkPolicy would not apply between pods"
fi
if alive kube-router; then log "kube-router: running"; else phase kube-router start_kube_router; fi

# ---- CoreDNS
start_coredns() {
  "$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images import --local "$CACHE/images/coredns.tar" >/dev/null
  sed -e "s#@APISERVER_PORT@#$APISERVER_PORT#g" -e "s#@NODE_IP@#$NODE_IP#g" \
      -e "s#@IMAGE@#$COREDNS_IMAGE#g" -e "s#@DNS_IP@#$CLUSTER_DNS_IP#g" "$CLUSTER_DIR/coredns.yaml" |
    "${K[@]}" apply -f - >/dev/null
  "${K[@]}" -n kube-system rollout status deployment/coredns --timeout=120s >/dev/null ||
    { "${K[@]}" -n kube-system get pods -o wide >&2; die "CoreDNS did not become ready"; }
  # Through the ClusterIP, as a pod's resolver would ask (kube-proxy's rules apply to the
  # host's own traffic too).
  local i
  for i in $(seq 1 30); do
    busybox nslookup "kubernetes.default.svc.cluster.local" "$CLUSTER_DNS_IP" 2>/dev/null | grep -q "10.96.0.1" && return 0
    sleep 1
  done
  die "CoreDNS does not answer kubernetes.default.svc.cluster.local on $CLUSTER_DNS_IP"
}
phase coredns start_coredns
log "addons: kube-proxy + kube-router (NetworkPolicy) + CoreDNS ($CLUSTER_DNS_IP) ready"
