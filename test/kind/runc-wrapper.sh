#!/usr/bin/env bash
# A Docker runtime that is runc, except that it removes CAP_SYS_RESOURCE from the OCI
# spec of every container (create/run) and every exec'd process (exec --process).
# Why: root on this VM lacks CAP_SYS_RESOURCE, so runc cannot grant it, and every
# `docker run --privileged` (kind's node containers are privileged) fails with
# "unable to apply caps: operation not permitted". Nothing inside a kind node needs it
# (the node's containerd is configured to clamp oom_score_adj instead, see node/).
set -euo pipefail
RUNC="${CRASHLAB_RUNC:-/usr/sbin/runc}"
cmd="" bundle="" process=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a="${args[i]}"
  case "$a" in
    --bundle | -b) bundle="${args[i + 1]:-}" ;;
    --bundle=*) bundle="${a#--bundle=}" ;;
    --process | -p) process="${args[i + 1]:-}" ;;
    --process=*) process="${a#--process=}" ;;
    create | run | exec) [[ -z "$cmd" ]] && cmd="$a" ;;
  esac
done
drop() { # drop FILE JQ-PATH: remove CAP_SYS_RESOURCE from every capability set at that path
  local f="$1" p="$2" tmp
  [[ -f "$f" ]] || return 0
  grep -q CAP_SYS_RESOURCE "$f" || return 0
  tmp="$f.crashlab.$$"
  jq -c "if $p then $p |= with_entries(.value |= map(select(. != \"CAP_SYS_RESOURCE\"))) else . end" "$f" > "$tmp"
  mv "$tmp" "$f"
}
case "$cmd" in
  create | run) drop "${bundle:-.}/config.json" .process.capabilities ;;
  exec) [[ -n "$process" ]] && drop "$process" .capabilities ;;
esac
exec "$RUNC" "$@"
