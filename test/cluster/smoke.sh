#!/usr/bin/env bash
# Smoke test of a running test cluster: a pod runs `echo hi`; an HTTP liveness probe against
# busybox httpd succeeds (kubelet reaches the pod IP over the bridge); another pod reaches it
# through a Service by DNS name; a 16Mi pod that
# allocates 64M is OOMKilled (exit 137). Prints what Kubernetes reported.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export KUBECONFIG="$KUBECONFIG_FILE"
K=("$BIN/kubectl" --context "$CONTEXT_NAME")
NS=crashlab-smoke
"${K[@]}" get --raw /readyz >/dev/null || die "cluster not up (run test/cluster/up.sh)"
"${K[@]}" wait --for=condition=Ready node --all --timeout=5s >/dev/null || die "node not Ready"
fail=0
ok() { log "smoke PASS: $*"; }
bad() { log "smoke FAIL: $*"; fail=1; }

"${K[@]}" delete ns "$NS" --ignore-not-found --wait=true >/dev/null
"${K[@]}" create ns "$NS" >/dev/null
# Pods need the namespace's default ServiceAccount (ServiceAccount admission).
for _ in $(seq 1 60); do "${K[@]}" -n "$NS" get sa default >/dev/null 2>&1 && break; sleep 0.5; done

"${K[@]}" -n "$NS" apply -f - >/dev/null <<'EOY'
apiVersion: v1
kind: Pod
metadata: {name: echo}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: busybox:1.36, command: ["echo", "hi"]}
---
apiVersion: v1
kind: Pod
metadata: {name: httpd, labels: {app: httpd}}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
    livenessProbe:
      httpGet: {path: /index.html, port: 8080}
      periodSeconds: 2
      failureThreshold: 2
    readinessProbe:
      httpGet: {path: /index.html, port: 8080}
      periodSeconds: 2
---
# A Service over httpd, reached by DNS name from another pod: CoreDNS + kube-proxy (addons.sh).
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: httpd}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "for i in $(seq 1 60); do timeout 2 wget -q -O- http://web.crashlab-smoke.svc.cluster.local/index.html && exit 0; sleep 1; done; exit 1"]
---
apiVersion: v1
kind: Pod
metadata: {name: oom}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]
    resources:
      limits: {memory: 16Mi}
EOY

t0=$SECONDS
# echo
if "${K[@]}" -n "$NS" wait --for=jsonpath='{.status.phase}'=Succeeded pod/echo --timeout=90s >/dev/null; then
  out="$("${K[@]}" -n "$NS" logs echo)"
  [[ "$out" == hi ]] && ok "echo pod Succeeded after $((SECONDS - t0))s, logs: $out" || bad "echo logs: $out"
else
  bad "echo pod: $("${K[@]}" -n "$NS" get pod echo -o jsonpath='{.status}')"
fi

# httpd + liveness: Ready, and still 0 restarts / no Unhealthy after 10 more seconds (5 probe periods)
if "${K[@]}" -n "$NS" wait --for=condition=Ready pod/httpd --timeout=90s >/dev/null; then
  sleep 10
  rc="$("${K[@]}" -n "$NS" get pod httpd -o jsonpath='{.status.containerStatuses[0].restartCount}')"
  ip="$("${K[@]}" -n "$NS" get pod httpd -o jsonpath='{.status.podIP}')"
  unhealthy="$("${K[@]}" -n "$NS" get events --field-selector involvedObject.name=httpd,reason=Unhealthy -o name | wc -l)"
  [[ "$rc" == 0 && "$unhealthy" == 0 ]] && ok "httpd Ready at pod IP $ip, liveness passing (restarts $rc, Unhealthy events $unhealthy)" \
    || bad "httpd restarts=$rc Unhealthy events=$unhealthy"
  body="$(curl -fsS --max-time 5 "http://$ip:8080/index.html" 2>&1)"
  [[ "$body" == ok ]] && ok "host -> pod HTTP over the bridge: $body" || bad "host -> pod HTTP: $body"
else
  bad "httpd not Ready: $("${K[@]}" -n "$NS" get pod httpd -o jsonpath='{.status}')"
fi

# Service by DNS name, pod -> ClusterIP -> pod
if "${K[@]}" -n "$NS" wait --for=jsonpath='{.status.phase}'=Succeeded pod/client --timeout=90s >/dev/null; then
  ok "pod -> http://web.crashlab-smoke.svc.cluster.local (CoreDNS, kube-proxy ClusterIP): $("${K[@]}" -n "$NS" logs client)"
else
  bad "client could not reach Service web by name: $("${K[@]}" -n "$NS" logs client 2>&1 | tail -n 3)"
fi

# oom
got=""
for _ in $(seq 1 90); do
  got="$("${K[@]}" -n "$NS" get pod oom -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].lastState.terminated.exitCode}')"
  [[ "$got" == "OOMKilled 137" ]] && break
  sleep 1
done
st="$("${K[@]}" -n "$NS" get pod oom -o jsonpath='waiting={.status.containerStatuses[0].state.waiting.reason} restarts={.status.containerStatuses[0].restartCount} last={.status.containerStatuses[0].lastState.terminated.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}')"
ev="$("${K[@]}" -n "$NS" get events --field-selector involvedObject.name=oom -o jsonpath='{range .items[*]}{.reason} {end}')"
[[ "$got" == "OOMKilled 137" ]] && ok "oom pod: $st; pod events: $ev" || bad "oom pod: $st; events: $ev"

[[ "${CRASHLAB_SMOKE_KEEP:-0}" == 1 ]] || "${K[@]}" delete ns "$NS" --wait=false >/dev/null
((fail == 0)) && log "smoke: all passed" || log "smoke: FAILED"
exit $fail
