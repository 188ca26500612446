#!/usr/bin/env bash
# Is the shared test cluster (test/cluster) on this machine still healthy? Node Ready and a
# fresh pod reaching Running in namespace kind-hostcheck (created and deleted here). Exit 0
# also when the test cluster is not running (prints "not running").
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
K=("$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --context "$CONTEXT_NAME")
if [[ ! -f "$KUBECONFIG_FILE" ]] || ! "${K[@]}" get --raw /readyz >/dev/null 2>&1; then
  echo "test cluster: not running"; exit 0
fi
NS=kind-hostcheck
"${K[@]}" wait --for=condition=Ready "node/$NODE_NAME" --timeout=60s >/dev/null || { echo "test cluster: node not Ready"; exit 1; }
"${K[@]}" delete namespace "$NS" --ignore-not-found --wait=true >/dev/null 2>&1
"${K[@]}" create namespace "$NS" >/dev/null
trap '"${K[@]}" delete namespace "$NS" --ignore-not-found --wait=false >/dev/null 2>&1' EXIT
"${K[@]}" -n "$NS" run probe --image="$BUSYBOX_IMAGE" --restart=Never --command -- sh -c 'sleep 30' >/dev/null
if "${K[@]}" -n "$NS" wait --for=jsonpath='{.status.phase}'=Running pod/probe --timeout=90s >/dev/null; then
  echo "test cluster: node Ready, a new pod Running"
else
  echo "test cluster: the probe pod did not start"; "${K[@]}" -n "$NS" describe pod probe | tail -15; exit 1
fi
