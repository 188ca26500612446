#!/usr/bin/env bash
# make test-kind: the learner's path on real kind, with a real (private) Docker engine.
#   build (cached) -> engine start -> node image -> kind contract checks (version, clusters,
#   Ctrl-C during create) -> `crashlab up` -> clusters / export kubeconfig / load docker-image
#   -> the scenario suite on kind-crashlab -> `crashlab down` -> engine stop (always).
# Ends with "N passed, N failed"; exits 0 with "skipped: <why>" where it cannot run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
REPO="$(cd "$KIND_DIR/../.." && pwd)"
[[ $EUID -eq 0 ]] || skip "needs root (dockerd, mounts, cgroups)"
command -v go >/dev/null || skip "no Go toolchain to build kind and Kubernetes"
OUT="$KCACHE/contract"            # raw kind output of this run (fixtures are copied from here)
KCFG="$DOCKER_RUN/kubeconfig"     # kind writes here, not to ~/.kube/config
PKG="$KCACHE/pkg"                 # crashlab's package with a test-only kind/crashlab.yaml
export KUBECONFIG="$KCFG" XDG_CONFIG_HOME="$KCACHE/xdg" NO_COLOR=1 FORCE_COLOR=0
PASS=0 FAIL=0 T0=$SECONDS
# phase (test/cluster/lib.sh) prints the time but returns 0; step also keeps the status.
step() {
  local name="$1" rcf; shift; rcf="$(mktemp)"
  phase "$name" bash -c '"$@"; echo $? > "$0"' "$rcf" "$@"
  local rc; rc="$(cat "$rcf")"; rm -f "$rcf"; return "${rc:-1}"
}
ok() { PASS=$((PASS + 1)); log "PASS $*"; }
bad() { FAIL=$((FAIL + 1)); log "FAIL $*"; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# The shared test cluster on this machine (if it runs) must not notice the engine or kind.
hostcheck() {
  local out; out="$(bash "$KIND_DIR/hostcheck.sh" 2>&1)"; local rc=$?
  [[ "$out" == *"not running"* ]] && { log "$out ($1)"; return 0; }
  if ((rc == 0)); then ok "$out ($1)"; else bad "$out ($1)"; fi
}

cleanup() {
  local rc=$?
  set +e
  if docker info >/dev/null 2>&1; then kind delete cluster --name crashlab >/dev/null 2>&1; fi
  if step engine-stop bash "$KIND_DIR/engine.sh" stop; then ok "engine stopped, nothing left behind"; else bad "engine stop left something behind"; fi
  hostcheck "after the engine stopped"
  log "test-kind total $((SECONDS - T0))s"
  echo "$PASS passed, $FAIL failed"
  ((FAIL == 0 && rc == 0)) || exit 1
}

# docker.io is the one thing that may be impossible to get (no Debian mirror): skip cleanly.
DOCKERD="${CRASHLAB_KIND_DOCKERD:-dockerd}"   # tests of this skip point it at a missing file
if ! command -v "$DOCKERD" >/dev/null; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null; } >/dev/null 2>&1 \
    || skip "docker.io cannot be installed (apt-get install docker.io failed)"
  command -v "$DOCKERD" >/dev/null || skip "docker.io installed but no $DOCKERD on PATH"
fi
mkdir -p "$OUT" "$KCACHE/logs"
set +e
for part in apt kind k8s tools rootfs images; do
  step "build-$part" bash "$KIND_DIR/build.sh" "$part" || { log "FAIL build $part"; echo "0 passed, 1 failed"; exit 1; }
done
step cli-build make -C "$REPO" --no-print-directory build || { log "FAIL make build"; echo "0 passed, 1 failed"; exit 1; }
trap cleanup EXIT
hostcheck "before the engine started"
step engine-start bash "$KIND_DIR/engine.sh" start; rc=$?
((rc == 3)) && { trap - EXIT; skip "docker.io cannot be installed"; }
((rc == 0)) || { bad "engine start"; exit 1; }
step build-node bash "$KIND_DIR/build.sh" node || { bad "node image build"; exit 1; }

# ---- crashlab's package with the test-only kind config: the shipped kind/crashlab.yaml plus
# the local node image (no registry) and, for this cgroup v1 VM, kubelet's failCgroupV1: false.
make_pkg() {
  rm -rf "$PKG"; mkdir -p "$PKG/kind"
  cp -r "$REPO/package.json" "$REPO/bin" "$REPO/dist" "$PKG/"
  ln -s "$REPO/node_modules" "$REPO/scenarios" "$REPO/solutions" "$PKG/"
  NODE_IMAGE="$NODE_IMAGE" node --input-type=module -e '
    import { readFileSync, writeFileSync } from "node:fs";
    import yaml from "'"$REPO"'/node_modules/js-yaml/index.js";
    const cfg = yaml.load(readFileSync(process.argv[1], "utf8"));
    for (const n of cfg.nodes) n.image = process.env.NODE_IMAGE;
    cfg.kubeadmConfigPatches = [...(cfg.kubeadmConfigPatches ?? []),
      "kind: KubeletConfiguration\nfailCgroupV1: false\n"];
    writeFileSync(process.argv[2], "# test/kind/run.sh: kind/crashlab.yaml + local node image + cgroup v1 kubelet setting\n" + yaml.dump(cfg));
  ' "$REPO/kind/crashlab.yaml" "$PKG/kind/crashlab.yaml"
}
make_pkg
crashlab() { node "$PKG/bin/crashlab.js" "$@"; }

# ---- kind's own output, as the adapter parses it
kind version > "$OUT/version.stdout" 2> "$OUT/version.stderr"
check "kind version: $(cat "$OUT/version.stdout")" grep -qE "^kind $KIND_VERSION go[0-9.]+ linux/amd64$" "$OUT/version.stdout"
kind get clusters > "$OUT/no-clusters.stdout" 2> "$OUT/no-clusters.stderr"; rc=$?
check "kind get clusters (none): exit 0, empty stdout, 'No kind clusters found.' on stderr" \
  test "$rc:$(wc -c < "$OUT/no-clusters.stdout"):$(cat "$OUT/no-clusters.stderr")" == "0:0:No kind clusters found."

# ---- Ctrl-C during `crashlab up`: kind is stopped and the half-made cluster removed.
ctrl_c() {
  local log="$OUT/up-interrupted.stderr" t=$SECONDS
  setsid node "$PKG/bin/crashlab.js" up > "$OUT/up-interrupted.stdout" 2> "$log" &
  local pid=$!
  until grep -q "Preparing nodes\|Writing configuration" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || break; ((SECONDS - t < 180)) || break; sleep 0.5
  done
  sleep 2
  kill -INT "$pid"   # what the terminal sends to the foreground process on Ctrl-C
  wait "$pid"; local rc=$?
  echo "$rc" > "$OUT/up-interrupted.exit"
  log "crashlab up interrupted after $((SECONDS - t))s: exit $rc"
  check "Ctrl-C: crashlab up exits 130 and says the half-created cluster was removed" \
    bash -c '[[ $0 == 130 ]] && grep -q "cancelled: kind was stopped and the half-created cluster removed" "$1"' "$rc" "$log"
  check "Ctrl-C: kind deleted the half-made cluster" grep -q 'Deleting cluster "crashlab"' "$log"
  check "Ctrl-C: no cluster and no container left" bash -c '[[ -z "$(kind get clusters 2>/dev/null)" && -z "$(docker ps -aq)" ]]'
}
phase ctrl-c ctrl_c

# ---- a plain `kind create` / `kind delete`, recorded raw (the adapter's fixtures)
raw_create() {
  kind create cluster --name crashlab --config "$PKG/kind/crashlab.yaml" --wait 120s > "$OUT/create.stdout" 2> "$OUT/create.stderr"
  check "kind create cluster (raw) exit 0" test $? -eq 0
  kind get clusters > "$OUT/clusters-one.stdout" 2> "$OUT/clusters-one.stderr"
  check "kind get clusters (one): crashlab" test "$(cat "$OUT/clusters-one.stdout")" == "crashlab"
  kind delete cluster --name crashlab > "$OUT/delete.stdout" 2> "$OUT/delete.stderr"
  check "kind delete cluster (raw) exit 0, nothing left" bash -c '[[ $0 == 0 && -z "$(docker ps -aq)" ]]' "$?"
}
phase raw-create raw_create

# ---- crashlab up, for real
up() {
  crashlab up > "$OUT/up.stdout" 2> "$OUT/up.stderr"; local rc=$?
  cat "$OUT/up.stderr" "$OUT/up.stdout" >&2
  check "crashlab up creates kind-crashlab (exit $rc)" test "$rc" -eq 0
}
phase crashlab-up up
check "crashlab up streamed kind's progress lines" grep -q '✓ Starting control-plane' "$OUT/up.stderr"
check "kind get clusters lists crashlab" test "$(kind get clusters 2>/dev/null)" == "crashlab"
kind export kubeconfig --name crashlab --kubeconfig "$OUT/exported.kubeconfig" > "$OUT/export-kubeconfig.stdout" 2> "$OUT/export-kubeconfig.stderr"
check "kind export kubeconfig: context kind-crashlab answers" \
  bash -c '"$0" --kubeconfig "$1" --context kind-crashlab get --raw /readyz >/dev/null' "$BIN/kubectl" "$OUT/exported.kubeconfig"
"$BIN/kubectl" --context kind-crashlab get nodes -o wide > "$OUT/nodes.txt" 2>&1
"$BIN/kubectl" --context kind-crashlab get pods -A -o wide > "$OUT/pods.txt" 2>&1
cat "$OUT/nodes.txt" "$OUT/pods.txt" >&2
check "node Ready, kubelet $K8S_VERSION" grep -qE " Ready .*$K8S_VERSION" "$OUT/nodes.txt"
check "the controller-manager runs with client QPS 100, burst 200 (kind/crashlab.yaml's kubeadm patch)" \
  bash -c 'docker exec crashlab-control-plane cat /etc/kubernetes/manifests/kube-controller-manager.yaml > "$0" && grep -q -- "--kube-api-qps=100$" "$0" && grep -q -- "--kube-api-burst=200$" "$0"' "$OUT/kube-controller-manager.yaml"
hostcheck "while the kind cluster runs"
check "crashlab up again reuses the cluster" bash -c 'node "$0/bin/crashlab.js" up 2>&1 | grep -q "Reusing kind cluster \"crashlab\""' "$PKG"

# ---- the offline-workshop path: scenario images loaded with kind load docker-image
load_busybox() {
  local w; w="$(mktemp -d)"; mkdir -p "$w/bin" "$w/tmp" "$w/etc"; chmod 1777 "$w/tmp"
  cp /bin/busybox "$w/bin/"; for a in $(/bin/busybox --list); do [[ $a == busybox ]] || ln -sf busybox "$w/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' > "$w/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$w/etc/group"
  # In the engine's data root from an earlier run already? Then that one is loaded.
  docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1 ||
    tar -C "$w" -c . | docker import --change 'CMD ["sh"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$BUSYBOX_IMAGE" >/dev/null
  rm -rf "$w"
  kind load docker-image "$BUSYBOX_IMAGE" --name crashlab > "$OUT/load-docker-image.stdout" 2> "$OUT/load-docker-image.stderr"
}
phase load-image load_busybox
check "kind load docker-image busybox:1.36 puts it on the node" \
  bash -c 'docker exec crashlab-control-plane crictl images | grep -q "docker.io/library/busybox *1.36"'

# The catalog's other images (`crashlab images`): expired-ca's curl and openssl, foreign-arch's
# arm64 busybox by digest. No registry is reachable here, so the test cluster's builds of them
# (test/cluster/build.sh) go onto the node the way its own containerd takes them (ctr import;
# `kind load image-archive` would not import a foreign platform).
load_catalog_images() {
  local tar
  for tar in curl openssl; do
    docker exec -i crashlab-control-plane ctr -n k8s.io images import --local - < "$CACHE/images/$tar.tar" >/dev/null || return 1
  done
  docker exec -i crashlab-control-plane ctr -n k8s.io images import --local --platform "linux/$FOREIGN_ARCH" - < "$CACHE/images/busybox-$FOREIGN_ARCH.tar" >/dev/null
}
phase load-catalog-images load_catalog_images
check "the catalog's other images are on the node ($CURL_IMAGE, $OPENSSL_IMAGE, the $FOREIGN_ARCH busybox by digest)" \
  bash -c 'l="$(docker exec crashlab-control-plane ctr -n k8s.io images ls -q)" && grep -qx "$0" <<<"$l" && grep -qx "$1" <<<"$l" && grep -qx "$2" <<<"$l"' "$CURL_IMAGE" "$OPENSSL_IMAGE" "$FOREIGN_BUSYBOX_IMAGE"

# ---- Service plumbing, as on a real kind node: kube-proxy programs its rules, and a pod reaches
# a ClusterIP by name (DNS through kube-dns's two CoreDNS endpoints, then TCP to kubernetes:443).
service_check() {
  # `crashlab up` returns once the node is Ready; CoreDNS may still be starting (seen: the probe
  # 3 s after up got "connection refused" from 10.96.0.10). Wait for it, as the check is about
  # the Service plumbing, not about CoreDNS's start-up time.
  "$BIN/kubectl" --context kind-crashlab -n kube-system rollout status deployment/coredns --timeout=120s > "$OUT/coredns-rollout.txt" 2>&1
  "$BIN/kubectl" --context kind-crashlab run svc-check --image="$BUSYBOX_IMAGE" --image-pull-policy=IfNotPresent \
    --restart=Never --rm -i --pod-running-timeout=90s --command -- \
    sh -c 'nslookup kubernetes.default.svc.cluster.local && nc -w 3 kubernetes.default.svc.cluster.local 443 </dev/null && echo reached' \
    > "$OUT/service-check.txt" 2>&1
  "$BIN/kubectl" --context kind-crashlab -n kube-system logs ds/kube-proxy > "$OUT/kube-proxy.log" 2>&1
}
phase service-check service_check
check "a pod reaches the Service kubernetes by name (DNS + ClusterIP)" grep -qx reached "$OUT/service-check.txt"
check "kube-proxy's iptables-restore never failed" bash -c '! grep -q "Failed to execute iptables-restore" "$0"' "$OUT/kube-proxy.log"

# ---- the scenario suite on kind-crashlab
suite() {
  CRASHLAB_CLUSTER_CACHE="$KCACHE/suite" KUBECTL="$BIN/kubectl" CRASHLAB_SUITE_CONTEXT=kind-crashlab CRASHLAB_SUITE_BYSTANDER=kind-bystander \
    node "$REPO/test/cluster/suite.mjs" --report "$KCACHE/suite/report.md" ${CRASHLAB_KIND_SUITE_ONLY:+--only "$CRASHLAB_KIND_SUITE_ONLY"} 2>&1 | tee "$KCACHE/suite.log"
  local line; line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$KCACHE/suite.log" | tail -1)"
  PASS=$((PASS + ${line%% passed*})); FAIL=$((FAIL + $(echo "$line" | sed 's/.*passed, \([0-9]*\) failed/\1/')))
  [[ -n "$line" ]] || bad "suite printed no result line"
}
[[ -n "${CRASHLAB_KIND_SKIP_SUITE:-}" ]] || phase suite suite

# ---- crashlab down
down() { crashlab down > "$OUT/down.stdout" 2> "$OUT/delete.stderr"; }
phase crashlab-down down
check "crashlab down deleted the cluster" grep -q 'Deleted kind cluster "crashlab".' "$OUT/down.stdout"
check "kind get clusters (none again)" test -z "$(kind get clusters 2>/dev/null)"
