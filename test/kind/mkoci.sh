#!/usr/bin/env bash
# Pack a directory into a single-layer OCI image archive (oci-layout, index.json, blobs) with
# one or more names, without a registry or an engine; `ctr images import` reads it. The same
# recipe as test/cluster/mkimage.sh, for any root directory and image config.
#
#   mkoci.sh ROOTDIR OUT.tar 'CONFIG-JSON-BODY' NAME [NAME...]
#   e.g. mkoci.sh /tmp/root out.tar '"Entrypoint":["/coredns"]' registry.k8s.io/coredns/coredns:v1.12.1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$1" out="$2" config_body="$3"; shift 3
(($#)) || die "mkoci.sh: no image name"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
layout="$work/layout"; mkdir -p "$layout/blobs/sha256"
tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
layer_digest="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"; layer_size="$(stat -c %s "$work/layer.tar")"
mv "$work/layer.tar" "$layout/blobs/sha256/$layer_digest"
blob() { local d; cat > "$work/b"; d="$(sha256sum "$work/b" | cut -d' ' -f1)"; mv "$work/b" "$layout/blobs/sha256/$d"; echo "$d $(stat -c %s "$layout/blobs/sha256/$d")"; }
read -r cfg_digest cfg_size < <(printf '%s' \
  '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{'"$config_body"'},'\
'"rootfs":{"type":"layers","diff_ids":["sha256:'"$layer_digest"'"]},'\
'"history":[{"created":"1970-01-01T00:00:00Z","created_by":"crashlab test/kind/mkoci.sh"}]}' | blob)
read -r man_digest man_size < <(printf '%s' \
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'\
'"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'"$cfg_digest"'","size":'"$cfg_size"'},'\
'"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:'"$layer_digest"'","size":'"$layer_size"'}]}' | blob)
entries=""
for name in "$@"; do
  entries+="${entries:+,}"'{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$man_digest"'","size":'"$man_size"','\
'"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"'"$name"'","org.opencontainers.image.ref.name":"'"${name##*:}"'"}}'
done
printf '%s' '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":['"$entries"']}' > "$layout/index.json"
mkdir -p "$(dirname "$out")"
tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner -C "$layout" -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"
log "image $* -> $(basename "$out") ($((layer_size / 1024)) KiB)"
