#!/usr/bin/env bash
# A private Docker engine for the kind tests, and its complete removal.
#
#   test/kind/engine.sh start    # dockerd on $DOCKER_SOCK (prints the DOCKER_HOST to use)
#   test/kind/engine.sh stop     # containers, networks, dockerd, containerd, shims, mounts,
#                                # cgroups, bridges gone; FORWARD policy, ip_forward, sysctls restored
#   test/kind/engine.sh status
#
# Debian's docker.io (20.10) with its own socket, data root, exec root and pidfile, so it
# cannot meet a system dockerd. It must not disturb the test cluster running on this same
# machine (CNI bridge crashlab0, kubelet's iptables chains), so it adds no iptables rules at
# all (--iptables=false: dockerd would otherwise set FORWARD to DROP and add its chains),
# does not switch on ip_forward or masquerading, and creates no docker0 (--bridge=none).
# kind needs none of that here: it publishes the API server on 127.0.0.1 through
# docker-proxy (the userland proxy), and the node reaches nothing outside (no registry).
# Exit status of start: 0 up, 3 docker.io cannot be installed (callers skip).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $EUID -eq 0 ]] || die "must run as root"
BEFORE="$DOCKER_RUN/before"
SYS_PATH=/usr/sbin:/usr/bin:/sbin:/bin   # dockerd must find Debian's containerd 1.6, not the cluster's 2.1

docker_ok() { timeout 10 docker info >/dev/null 2>&1; }
pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The host state the engine must leave as it found it.
snapshot() { # snapshot DIR
  local d="$1"; mkdir -p "$d"
  iptables -S | awk '$1 == "-P" && $2 == "FORWARD" {print $3}' > "$d/forward-policy"
  # KUBE-* chains belong to the test cluster's kubelet, which may start or stop meanwhile.
  for t in filter nat mangle raw; do iptables -t "$t" -S 2>/dev/null | grep -v KUBE- | sed "s/^/$t /"; done > "$d/iptables"
  for t in filter nat mangle raw; do ip6tables -t "$t" -S 2>/dev/null | grep -v KUBE- | sed "s/^/$t /"; done > "$d/ip6tables"
  # Only docker's own interface names: the test cluster adds veths and crashlab0 meanwhile.
  ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '^(br-|docker)' | sort > "$d/links" || true
  # Writable sysctls whose values a kind node (kubelet, kube-proxy) may change host-wide.
  sysctl -a 2>/dev/null | grep -Ev '^(fs\.(dentry-state|file-nr|inode-(nr|state)|quota)|fs\.aio-nr|kernel\.(random|ns_last_pid|pty\.nr|sched_domain|perf_event_max_sample_rate|tainted)|net\.netfilter\.nf_conntrack_count|vm\.stat|dev\.|net\.ipv6\.conf\..*\.stable_secret)' \
    | grep -Pv '^net\.ipv[46]\.(conf|neigh)\.(?!all\.|default\.)' | sort > "$d/sysctl"
  [[ -e /lib/modules ]] && echo yes > "$d/lib-modules" || echo no > "$d/lib-modules"
}

install_docker() {
  command -v dockerd >/dev/null && [[ -x /usr/bin/docker ]] && return 0
  log "installing Debian docker.io"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io jq; } >/dev/null 2>&1 || return 1
  command -v dockerd >/dev/null
}

start() {
  if pid_alive "$DOCKER_PID" && docker_ok; then log "engine already up ($DOCKER_HOST)"; return 0; fi
  install_docker || { echo "docker.io cannot be installed (apt-get install docker.io failed)" >&2; exit 3; }
  command -v jq >/dev/null || die "jq missing (apt-get install jq)"
  [[ -d "$DOCKER_RUN" ]] && stop
  mkdir -p "$DOCKER_RUN" "$DOCKER_DATA" "$DOCKER_EXEC" "$KCACHE/logs" "$KCACHE/path"
  ln -sf /usr/bin/docker "$KCACHE/path/docker"
  snapshot "$BEFORE"
  echo '{}' > "$DOCKER_RUN/daemon.json"
  local t0=$SECONDS
  # --oom-score-adjust=0: dockerd's default -500 needs CAP_SYS_RESOURCE, which root lacks here.
  PATH="$SYS_PATH" setsid dockerd \
    --config-file "$DOCKER_RUN/daemon.json" \
    --host "unix://$DOCKER_SOCK" --data-root "$DOCKER_DATA" --exec-root "$DOCKER_EXEC" --pidfile "$DOCKER_PID" \
    --storage-driver overlay2 --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$DOCKER_CGROUP_PARENT" \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
    --default-address-pool "base=$DOCKER_POOL,size=24" \
    --add-runtime "crashlab-runc=$KIND_DIR/runc-wrapper.sh" --default-runtime crashlab-runc \
    --oom-score-adjust=0 --log-level warn \
    >> "$KCACHE/logs/dockerd.log" 2>&1 < /dev/null &
  local end=$((SECONDS + 60))
  until docker_ok; do
    ((SECONDS < end)) || { tail -n 30 "$KCACHE/logs/dockerd.log" >&2; die "dockerd not ready after 60s"; }
    sleep 0.5
  done
  local after="$DOCKER_RUN/after-start"; snapshot "$after"
  for f in forward-policy iptables ip6tables; do
    cmp -s "$BEFORE/$f" "$after/$f" || { diff "$BEFORE/$f" "$after/$f" >&2 || true; die "dockerd changed $f"; }
  done
  log "engine up in $((SECONDS - t0))s: export DOCKER_HOST=$DOCKER_HOST ($(docker version -f '{{.Server.Version}}'))"
}

# Pids of processes whose command line names one of our paths (dockerd, its containerd, shims, docker-proxy).
our_pids() {
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' 2>/dev/null < "$p/cmdline" | grep -qE "$DOCKER_EXEC|$DOCKER_SOCK|$DOCKER_DATA" && echo "${p#/proc/}"
  done
  return 0
}
cgroup_dirs() { find /sys/fs/cgroup/*/"$DOCKER_CGROUP_PARENT" -depth -type d 2>/dev/null || true; }

stop() {
  local t0=$SECONDS
  if docker_ok; then
    local ids; ids="$(docker ps -aq)"
    [[ -n "$ids" ]] && docker rm -f -v $ids >/dev/null 2>&1 || true
    docker network prune -f >/dev/null 2>&1 || true
    docker volume prune -f >/dev/null 2>&1 || true
    docker image prune -f >/dev/null 2>&1 || true   # dangling images of earlier imports
  fi
  if pid_alive "$DOCKER_PID"; then
    local pid; pid="$(cat "$DOCKER_PID")"
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  # containerd (dockerd's child), shims, docker-proxy; anything still in our cgroup parent.
  local pids; pids="$(our_pids)"
  [[ -n "$pids" ]] && kill -KILL $pids 2>/dev/null || true
  local d
  for d in $(cgroup_dirs); do
    [[ -f "$d/cgroup.procs" ]] && xargs -r kill -KILL < "$d/cgroup.procs" 2>/dev/null || true
  done
  sleep 0.5
  # Mounts: overlay rootfs, shm, netns files, anything under our dirs, deepest first.
  local m
  for m in $(awk '{print $5}' /proc/self/mountinfo | grep -E "^($DOCKER_DATA|$DOCKER_RUN)" | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  for d in $(cgroup_dirs); do rmdir "$d" 2>/dev/null || true; done
  # Interfaces docker created (the kind network's br-*, veths) that were not there before.
  if [[ -f "$BEFORE/links" ]]; then
    local now; now="$(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '^(br-|docker)' | sort || true)"
    # Deleting a bridge of docker's detaches its veths; their peers died with the containers.
    for l in $(comm -13 "$BEFORE/links" <(echo "$now")); do ip link delete "$l" 2>/dev/null || true; done
    local pol; pol="$(cat "$BEFORE/forward-policy")"
    [[ -n "$pol" ]] && iptables -P FORWARD "$pol"
    restore_sysctls
    [[ "$(cat "$BEFORE/lib-modules")" == no && -d /lib/modules ]] && rmdir /lib/modules 2>/dev/null || true
  fi
  check_clean || { log "engine stop: something was left (see above); $DOCKER_RUN kept"; return 1; }
  rm -rf "$DOCKER_RUN"
  log "engine stopped and cleaned in $((SECONDS - t0))s"
}

# Host-wide sysctls a kind node changes: kubelet's kernel tunables (as the test cluster's
# kubelet does), fs.file-max/fs.nr_open (raised by systemd as the node's PID 1), conntrack
# (kube-proxy). Only these are put back: other helpers on this machine change other
# sysctls meanwhile (the test cluster's add-ons turn on ip_forward), which are not ours to
# undo. kubelet's set stays while the test cluster's kubelet runs (it wants the same values;
# its down.sh restores them).
KUBELET_SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes"
NODE_SYSCTLS="$KUBELET_SYSCTLS fs.file-max fs.nr_open net.netfilter.nf_conntrack_max"
restore_sysctls() {
  local now; now="$(mktemp)"
  snapshot_sysctl_only "$now"
  local cluster_kubelet=no
  pid_alive "$RUN/kubelet.pid" && cluster_kubelet=yes
  while IFS= read -r line; do
    local key="${line%% = *}" val="${line#* = }"
    if [[ " $NODE_SYSCTLS " != *" $key "* ]]; then
      log "sysctl $key changed since the engine started (not by kind; left as is)"; continue
    fi
    if [[ $cluster_kubelet == yes && " $KUBELET_SYSCTLS " == *" $key "* ]]; then
      log "sysctl $key left as is: the test cluster's kubelet runs"; continue
    fi
    sysctl -q -w "$key=$val" >/dev/null 2>&1 && log "sysctl $key restored to $val" || true
  done < <(comm -23 "$BEFORE/sysctl" "$now")
  rm -f "$now"
}
snapshot_sysctl_only() { local d; d="$(mktemp -d)"; snapshot "$d"; mv "$d/sysctl" "$1"; rm -rf "$d"; }

ours() { grep -E 'DOCKER| -P |^[^ ]+$' "$1" || true; }
check_clean() {
  local ok=0 pids mounts
  pids="$(our_pids)"; [[ -z "$pids" ]] || { log "left: processes $pids"; ok=1; }
  mounts="$(awk '{print $5}' /proc/self/mountinfo | grep -E "^($DOCKER_DATA|$DOCKER_RUN)" || true)"
  [[ -z "$mounts" ]] || { log "left: mounts $mounts"; ok=1; }
  [[ -z "$(cgroup_dirs)" ]] || { log "left: cgroups $(cgroup_dirs | head -3)"; ok=1; }
  if [[ -f "$BEFORE/links" ]]; then
    local after; after="$(mktemp -d)"; snapshot "$after"
    # Docker's own rules and chains (DOCKER*) and the policies; other rules belong to the
    # test cluster and its add-ons, which may change meanwhile.
    for f in forward-policy iptables ip6tables links; do
      cmp -s <(ours "$BEFORE/$f") <(ours "$after/$f") || { log "left: $f differs:"; diff <(ours "$BEFORE/$f") <(ours "$after/$f") >&2 || true; ok=1; }
    done
    local changed; changed="$(comm -23 "$BEFORE/sysctl" "$after/sysctl" | cut -d' ' -f1 | tr '\n' ' ')"
    [[ -z "$changed" ]] || log "sysctls differing from before the engine started: $changed"
    rm -rf "$after"
  fi
  return $ok
}

status() {
  if pid_alive "$DOCKER_PID" && docker_ok; then echo "up: DOCKER_HOST=$DOCKER_HOST"; docker ps -a; else echo "down"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: engine.sh start|stop|status" ;;
esac
