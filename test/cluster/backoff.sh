#!/usr/bin/env bash
# Measure kubelet's CrashLoopBackOff delays on the running test cluster: a container that
# exits 1 at once; for each restart, the gap between the previous attempt's finishedAt and the
# next attempt's startedAt. Expected with the default back-off: ~0 (first restart immediate)
# or 10 s, then 20 s, 40 s, ... (capped at 300 s).   Usage: backoff.sh [seconds to watch, 130]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export KUBECONFIG="$KUBECONFIG_FILE"
K=("$BIN/kubectl" --context "$CONTEXT_NAME")
NS=crashlab-backoff WATCH="${1:-130}"
"${K[@]}" delete ns "$NS" --ignore-not-found --wait=true >/dev/null
"${K[@]}" create ns "$NS" >/dev/null
for _ in $(seq 1 60); do "${K[@]}" -n "$NS" get sa default >/dev/null 2>&1 && break; sleep 0.5; done
"${K[@]}" -n "$NS" run crash --image=busybox:1.36 --restart=Always -- sh -c 'echo started; exit 1' >/dev/null
# One line per attempt, keyed by container ID: "<id> <startedAt> <finishedAt>".
: > "$RUN/backoff.attempts"
end=$((SECONDS + WATCH))
while ((SECONDS < end)); do
  "${K[@]}" -n "$NS" get pod crash -o jsonpath='{range .status.containerStatuses[0].lastState.terminated}{.containerID} {.startedAt} {.finishedAt}{"\n"}{end}{range .status.containerStatuses[0].state.terminated}{.containerID} {.startedAt} {.finishedAt}{"\n"}{end}' 2>/dev/null >> "$RUN/backoff.attempts"
  sleep 0.5
done
log "attempt  startedAt             finishedAt            gap since previous finishedAt"
prev="" n=0
while read -r id st fi; do
  gap="-"
  [[ -n "$prev" ]] && gap="$(( $(date -d "$st" +%s) - $(date -d "$prev" +%s) ))s"
  log "$(printf '%-8s %-21s %-21s %s' "$n" "$st" "$fi" "$gap")"
  prev="$fi" n=$((n + 1))
done < <(grep -v '^ *$' "$RUN/backoff.attempts" | sort -u -k2,2 -k1,1 | sort -u -k1,1 | sort -k2,2)
"${K[@]}" -n "$NS" get events --field-selector involvedObject.name=crash -o custom-columns=TYPE:.type,REASON:.reason,COUNT:.count,MESSAGE:.message
"${K[@]}" delete ns "$NS" --wait=false >/dev/null
