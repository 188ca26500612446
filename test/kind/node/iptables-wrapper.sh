#!/bin/sh
# kube-proxy's image: pick the iptables backend (legacy or nft) the node itself uses — the
# one holding kubelet's KUBE-IPTABLES-HINT / KUBE-KUBELET-CANARY chains, else the one with
# more rules — point the iptables commands at it, and run the command. Upstream images do
# the same with kubernetes-sigs/iptables-wrappers; this is a minimal equivalent.
count() { { "$1" iptables-save 2>/dev/null; "$1" ip6tables-save 2>/dev/null; } | grep -c "$2"; }
mode=nft
hint_legacy=$(count xtables-legacy-multi '^:KUBE-\(IPTABLES-HINT\|KUBELET-CANARY\)')
hint_nft=$(count xtables-nft-multi '^:KUBE-\(IPTABLES-HINT\|KUBELET-CANARY\)')
if [ "$hint_legacy" -gt "$hint_nft" ]; then
  mode=legacy
elif [ "$hint_legacy" -eq "$hint_nft" ] && [ "$(count xtables-legacy-multi '^-')" -gt "$(count xtables-nft-multi '^-')" ]; then
  mode=legacy
fi
for cmd in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  ln -sf "xtables-$mode-multi" "/usr/sbin/$cmd"
done
exec "$0" "$@"
