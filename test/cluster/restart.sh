#!/usr/bin/env bash
# Faults on the running test cluster, each put right within seconds (the cluster is shared):
#   restart.sh kube-apiserver|containerd|kubelet [DOWN_SECONDS]
#       stops the daemon (SIGTERM, SIGKILL after 5 s), keeps it down DOWN_SECONDS (default 0,
#       at most 30), starts it again with the exact command line it ran with (read from /proc, so
#       whatever up.sh passed), under the same `start` as up.sh, and waits until it answers.
#       containerd's shims are their own processes: running containers survive it.
#   restart.sh compact
#       compacts etcd at its current revision (etcd's own JSON gateway, no etcdctl needed):
#       every older resourceVersion is gone, a watch resumed from one gets 410 Gone.
# Prints one JSON line: what was done and how long the component was not answering.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
what="${1:?usage: restart.sh kube-apiserver|containerd|kubelet [DOWN_SECONDS] | compact}"
now_ms() { date +%s%3N; }

if [[ $what == compact ]]; then
  etcd="http://127.0.0.1:$ETCD_CLIENT_PORT"
  rev="$(curl -fsS -X POST "$etcd/v3/kv/range" -d '{"key":"AA==","limit":1}' | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p')"
  [[ -n $rev ]] || die "could not read etcd's revision"
  curl -fsS -X POST "$etcd/v3/kv/compaction" -d "{\"revision\":\"$rev\",\"physical\":true}" >/dev/null || die "compaction at $rev failed"
  printf '{"compacted":%s}\n' "$rev"
  exit 0
fi

case "$what" in
  kube-apiserver) ready() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz; } ;;
  containerd) ready() { "$BIN/ctr" --address "$CONTAINERD_SOCK" version; } ;;
  kubelet) ready() { curl -fsS http://127.0.0.1:10248/healthz; } ;;
  *) die "cannot restart $what (only kube-apiserver, containerd, kubelet)" ;;
esac
down="${2:-0}"
((down <= 30)) || die "at most 30 s down: the cluster is shared"
pid="$(cat "$RUN/$what.pid" 2>/dev/null)" || die "no $RUN/$what.pid: is the cluster up?"
kill -0 "$pid" 2>/dev/null || die "$what (pid $pid) is not running"
mapfile -d '' -t cmd < "/proc/$pid/cmdline"
((${#cmd[@]} > 0)) || die "could not read $what's command line"

t0="$(now_ms)"
kill -TERM "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
stopped="$(now_ms)"
sleep "$down"
log "restarting $what (stopped in $((stopped - t0)) ms, down ${down} s)"
start "$what" "${cmd[@]}"
wait_for "$what" 60 ready
t1="$(now_ms)"
printf '{"restarted":"%s","pid":%s,"stopMs":%s,"unansweredMs":%s}\n' "$what" "$(cat "$RUN/$what.pid")" "$((stopped - t0))" "$((t1 - t0))"
