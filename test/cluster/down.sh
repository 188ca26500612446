#!/usr/bin/env bash
# Stop the test cluster and leave nothing behind: no processes (daemons, shims, pod
# processes), no mounts under $RUN, no pod network namespaces, no kubepods cgroups, no
# bridge; the host's kernel tunables restored. Safe to run twice or on a half-started cluster.
# Keeps $CACHE (binaries, images); removes $RUN unless CRASHLAB_KEEP_RUN=1 (logs are copied
# to $CACHE/last-logs first).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set +e
T0=$SECONDS
[[ -d "$RUN" ]] || { log "down: nothing to do"; exit 0; }

mark() { log "down: $1 (+$((SECONDS - T0))s)"; }
pid_of() { cat "$RUN/$1.pid" 2>/dev/null; }
stop() { # stop NAME [grace seconds]
  local name="$1" grace="${2:-10}" p
  p="$(pid_of "$name")" || return 0
  [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null || { rm -f "$RUN/$name.pid"; return 0; }
  kill -TERM "$p" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && { log "down: $name did not stop, SIGKILL"; kill -KILL "$p"; sleep 0.2; }
  rm -f "$RUN/$name.pid"
}
CTR=("$BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io)

# 1. kubelet first, so nothing restarts containers; kube-proxy and its iptables rules
# (KUBE-SERVICES, KUBE-NODEPORTS, ... in filter and nat) with it.
stop kubelet 15
mark "kubelet stopped"
if [[ -f "$RUN/kube-proxy.pid" ]]; then
  stop kube-proxy 10
  "$BIN/kube-proxy" --cleanup >>"$LOGS/kube-proxy.log" 2>&1 || log "down: kube-proxy --cleanup failed (see kube-proxy.log)"
  mark "kube-proxy stopped, its rules removed"
fi
# kube-router (NetworkPolicy firewall): its filter chains and ipsets go with it. Removed here
# rather than by `kube-router --cleanup-config`, which also resets IPVS and routes it never made.
if [[ -f "$RUN/kube-router.pid" ]]; then
  stop kube-router 10
  iptables -S | grep -E -- '^-A (INPUT|FORWARD|OUTPUT) .*-j KUBE-ROUTER-' | sed 's/^-A /-D /' | while read -r rule; do
    eval "iptables $rule" 2>/dev/null
  done
  for chain in $(iptables -S | awk '$1 == "-N" && $2 ~ /^KUBE-(ROUTER-|NWPLCY-|POD-FW-)/ {print $2}'); do iptables -F "$chain" 2>/dev/null; done
  for chain in $(iptables -S | awk '$1 == "-N" && $2 ~ /^KUBE-(ROUTER-|NWPLCY-|POD-FW-)/ {print $2}'); do iptables -X "$chain" 2>/dev/null; done
  for set in $(ipset list -n 2>/dev/null | grep -E '^KUBE-(SRC|DST)-'); do ipset destroy "$set" 2>/dev/null; done
  mark "kube-router stopped, its chains and ipsets removed"
fi

# 2. every pod container and sandbox: kill tasks through containerd while it runs.
if [[ -S "$CONTAINERD_SOCK" ]]; then
  for t in $("${CTR[@]}" tasks ls -q 2>/dev/null); do "${CTR[@]}" tasks kill -a -s SIGKILL "$t" >/dev/null 2>&1; done
  sleep 1
  for t in $("${CTR[@]}" tasks ls -q 2>/dev/null); do "${CTR[@]}" tasks delete -f "$t" >/dev/null 2>&1; done
fi
mark "pod tasks killed"
stop containerd 15
mark "containerd stopped"

# 3. anything left: shims started with our socket, and processes in kubepods cgroups.
shims() {
  local d
  for d in /proc/[0-9]*; do
    tr '\0' ' ' 2>/dev/null < "$d/cmdline" | grep -q "containerd-shim-runc-v2.* -address $CONTAINERD_SOCK" && echo "${d#/proc/}"
  done
}
cg_procs() { find /sys/fs/cgroup/*/kubepods* -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u; }
for round in 1 2 3; do
  left="$( { shims; cg_procs; } | sort -u)"
  [[ -z "$left" ]] && break
  log "down: killing leftover processes: $(echo $left)"
  kill -KILL $left 2>/dev/null
  sleep 0.5
done

# 4. control plane.
stop kube-scheduler 10
stop kube-controller-manager 10
stop kube-apiserver 8   # its graceful shutdown can hang on watches for 20+ s; SIGKILL is harmless here
stop etcd 10
mark "control plane stopped"

# 5. mounts under $RUN (rootfs overlays, shm, secrets/projected tmpfs), deepest first.
umount_under() {
  local base="$1" m
  for round in 1 2 3; do
    mapfile -t ms < <(awk -v b="$base" '$5 == b || index($5, b "/") == 1 {print $5}' /proc/self/mountinfo | sort -r)
    ((${#ms[@]})) || return 0
    for m in "${ms[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
  done
}
umount_under "$RUN"
# containerd/runc state outside $RUN: shim sockets dir, and pod network namespaces made by CNI.
for ns in $(ls /run/netns 2>/dev/null); do
  grep -qx "$ns" "$RUN/netns.before" 2>/dev/null && continue
  [[ "$ns" == cni-* ]] || continue
  umount "/run/netns/$ns" 2>/dev/null || umount -l "/run/netns/$ns" 2>/dev/null
  rm -f "/run/netns/$ns"
done

# 6. cgroups kubelet made (kubepods hierarchy), deepest first.
for ctl in /sys/fs/cgroup/*/; do
  [[ -d "$ctl/kubepods" || -d "$ctl/kubepods.slice" ]] || continue
  find "$ctl"kubepods* -depth -type d -exec rmdir {} \; 2>/dev/null
done
for ctl in /sys/fs/cgroup/*/; do [[ -d "${ctl}kubepods" ]] && log "down: WARNING cgroup ${ctl}kubepods remains"; done

# kubelet's symlinks to our pod logs (its /var/log/containers path is fixed).
if [[ -d /var/log/containers ]]; then
  for l in /var/log/containers/*.log; do
    [[ -L "$l" && "$(readlink "$l")" == "$RUN"/* ]] && rm -f "$l"
  done
  rmdir /var/log/containers 2>/dev/null
fi
# containerd's fixed runtime dir (shim sockets, fifos) when no other containerd runs.
if ! pgrep -x containerd >/dev/null; then
  find /run/containerd/s -type s -delete 2>/dev/null   # sockets of shims that were killed
  find /run/containerd -depth -type d -empty -delete 2>/dev/null
fi

# kubelet's iptables chains, when no other kubelet runs and they were not there before up.sh.
if [[ -f "$RUN/iptables.before" ]] && ! pgrep -x kubelet >/dev/null; then
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for t in filter nat mangle; do
      for chain in KUBE-FIREWALL KUBE-KUBELET-CANARY KUBE-IPTABLES-HINT; do
        grep -qx "$ipt $t $chain" "$RUN/iptables.before" && continue
        "$ipt" -t "$t" -S "$chain" >/dev/null 2>&1 || continue
        # remove the jumps to it, then the chain
        "$ipt" -t "$t" -S | grep -E -- "^-A [A-Z-]+ .*-j $chain( |\$)" | sed 's/^-A /-D /' | while read -r rule; do
          eval "$ipt -t $t $rule" 2>/dev/null
        done
        "$ipt" -t "$t" -F "$chain" 2>/dev/null; "$ipt" -t "$t" -X "$chain" 2>/dev/null
      done
    done
  done
fi

# 7. network: our bridge (veths went with their namespaces).
ip link del "$CNI_BRIDGE" 2>/dev/null

# 8. kernel tunables kubelet changed: back to the host's values.
if [[ -f "$RUN/sysctl.before" ]]; then
  while IFS='=' read -r k v; do [[ -n "$k" ]] && sysctl -qw "$k=$v"; done < "$RUN/sysctl.before"
fi

# 9. check and clean.
problems=0
for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy kube-router; do
  [[ -f "$RUN/$name.pid" ]] && { log "down: WARNING $name pid file remains"; problems=1; }
done
[[ -n "$(shims)" ]] && { log "down: WARNING shims remain: $(shims)"; problems=1; }
if awk -v b="$RUN" 'index($5, b) == 1' /proc/self/mountinfo | grep -q .; then
  log "down: WARNING mounts remain under $RUN"; problems=1
fi
if [[ "${CRASHLAB_KEEP_RUN:-0}" != 1 && $problems == 0 ]]; then
  rm -rf "$CACHE/last-logs"; cp -r "$LOGS" "$CACHE/last-logs" 2>/dev/null
  rm -rf "$RUN"
fi
log "down: done in $((SECONDS - T0))s$([[ $problems == 1 ]] && echo ' (with warnings)')"
exit $problems
