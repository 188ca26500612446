#!/usr/bin/env bash
# Generate the test cluster's PKI with openssl into $RUN/pki (idempotent: kept while the CA exists).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PKI="$RUN/pki"
mkdir -p "$PKI"; cd "$PKI"

# cert NAME CN O SANS(comma list or empty) USAGE(client|server|both)
cert() {
  local name="$1" cn="$2" o="$3" sans="$4" usage="$5" eku
  case "$usage" in client) eku=clientAuth ;; server) eku=serverAuth ;; both) eku="serverAuth,clientAuth" ;; esac
  local subj="/CN=$cn"; [[ -n "$o" ]] && subj="/O=$o$subj"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -n "$sans" ]] && echo "subjectAltName=$sans"
  } > "$name.ext"
  openssl genrsa -out "$name.key" 2048 2>/dev/null
  openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

# kube-proxy's client cert (bound to ClusterRole system:node-proxier by default) and kube-router's
# (bound by addons.sh); also made for a cluster whose PKI predates them (addons.sh on a running cluster).
if [[ -f ca.crt && -f done ]]; then
  [[ -f kube-proxy.crt ]] || { cert kube-proxy system:kube-proxy "" "" client; log "certs: added kube-proxy"; }
  [[ -f kube-router.crt ]] || { cert kube-router system:kube-router "" "" client; log "certs: added kube-router"; }
  log "certs: present"; exit 0
fi

openssl genrsa -out ca.key 2048 2>/dev/null
openssl req -x509 -new -nodes -key ca.key -sha256 -days 3650 -subj "/CN=crashlab-local-ca" -out ca.crt
cert apiserver kube-apiserver "" "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:10.96.0.1,IP:$NODE_IP" server
cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "" client
cert admin crashlab-admin system:masters "" client
cert controller-manager system:kube-controller-manager "" "" client
cert scheduler system:kube-scheduler "" "" client
cert kubelet "system:node:$NODE_NAME" system:nodes "" client
cert kubelet-serving "system:node:$NODE_NAME" system:nodes "DNS:$NODE_NAME,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP" server
cert kube-proxy system:kube-proxy "" "" client
cert kube-router system:kube-router "" "" client
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
touch done
log "certs: generated in $PKI"
