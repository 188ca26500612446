#!/usr/bin/env bash
# Assemble an OCI image archive (oci-layout + index.json + blobs) without any registry
# or container engine, for `ctr -n k8s.io images import`.
#
#   mkimage.sh pause   registry.k8s.io/pause:3.10.1      out.tar
#   mkimage.sh busybox docker.io/library/busybox:1.36    out.tar
#   mkimage.sh coredns localhost/crashlab/coredns:v1.15.0 out.tar
#   mkimage.sh curl    docker.io/curlimages/curl:8.12.1   out.tar
#   mkimage.sh openssl docker.io/alpine/openssl:3.3.2     out.tar
#
#   IMAGE_ARCH=arm64 BUSYBOX_BIN=/x/bin/busybox mkimage.sh busybox NAME out.tar
#
# busybox comes from Debian's busybox-static (/bin/busybox); pause from $BIN/pause.
# IMAGE_ARCH (default amd64) is the architecture written into the image config and the layout's
# platform; BUSYBOX_BIN another build of busybox-static (runtime-issue: Debian's arm64 package),
# whose applet list is taken from the host's busybox of the same version.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
IMAGE_ARCH="${IMAGE_ARCH:-amd64}"
BUSYBOX_BIN="${BUSYBOX_BIN:-/bin/busybox}"

kind="$1" name="$2" out="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs" layout="$work/layout"
mkdir -p "$root" "$layout/blobs/sha256"

# busybox's root file system; every image but pause and coredns starts from it.
busybox_root() {
    mkdir -p "$root"/{bin,dev,etc,home,proc,root,sys,tmp,usr/bin,usr/sbin,var/www,var/spool/mail}
    chmod 1777 "$root/tmp"
    chmod 700 "$root/root"
    cp "$BUSYBOX_BIN" "$root/bin/busybox"
    for applet in $(/bin/busybox --list); do
      [[ "$applet" == busybox ]] && continue
      ln -sf busybox "$root/bin/$applet"
    done
    # The applets the scenarios and the routine use must exist.
    for a in sh httpd dd sleep tail head wget nc cat echo env ls ps id kill; do
      [[ -L "$root/bin/$a" ]] || die "busybox-static lacks applet $a"
    done
    cat > "$root/etc/passwd" <<'EOP'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/home:/bin/false
EOP
    cat > "$root/etc/group" <<'EOP'
root:x:0:
nobody:x:65534:
EOP
    echo "127.0.0.1 localhost" > "$root/etc/hosts"
}

# A host binary with the shared libraries `ldd` lists (and the loader), at the same paths.
copy_with_libs() {
  local bin="$1" lib
  cp -L --parents "$bin" "$root"
  for lib in $(ldd "$bin" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}'); do
    [[ -e "$root$lib" ]] || cp -L --parents "$lib" "$root"
  done
}

case "$kind" in
  busybox)
    busybox_root
    config_body='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]'
    created_by="crashlab mkimage.sh: Debian busybox-static $(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || echo unknown)"
    ;;
  curl)
    # time-tls (scenarios/ca-rotation): Debian's curl (OpenSSL) on busybox, under the name of the
    # public curlimages/curl image the scenario runs; its user, like upstream's: curl_user 100:101.
    busybox_root
    copy_with_libs /usr/bin/curl
    echo "curl_user:x:100:101:curl_user:/home/curl_user:/bin/sh" >> "$root/etc/passwd"
    echo "curl_group:x:101:" >> "$root/etc/group"
    mkdir -p "$root/home/curl_user"
    config_body='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Entrypoint":["curl"],"Cmd":["--help"],"User":"100:101","WorkingDir":"/"'
    created_by="crashlab mkimage.sh: Debian curl $(dpkg-query -W -f='${Version}' curl 2>/dev/null || echo unknown) on busybox-static"
    ;;
  openssl)
    # time-tls (scenarios/ca-rotation): Debian's openssl command on busybox, under the name of
    # the public alpine/openssl image the scenario runs.
    busybox_root
    copy_with_libs /usr/bin/openssl
    mkdir -p "$root/usr/lib/ssl"
    cp -L /usr/lib/ssl/openssl.cnf "$root/usr/lib/ssl/openssl.cnf"
    config_body='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Entrypoint":["openssl"],"WorkingDir":"/"'
    created_by="crashlab mkimage.sh: Debian openssl $(dpkg-query -W -f='${Version}' openssl 2>/dev/null || echo unknown) on busybox-static"
    ;;
  pause)
    [[ -x "$BIN/pause" ]] || die "build pause first"
    cp "$BIN/pause" "$root/pause"
    config_body='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Entrypoint":["/pause"],"User":"65535:65535","WorkingDir":"/"'
    created_by="crashlab mkimage.sh: test/cluster/pause/pause.c"
    ;;
  coredns)
    [[ -x "$BIN/coredns" ]] || die "build coredns first"
    mkdir -p "$root/etc/coredns"
    cp "$BIN/coredns" "$root/coredns"
    # Non-root like the upstream image; port 53 binds because CoreDNS runs with hostNetwork
    # and CAP_NET_BIND_SERVICE (coredns.yaml).
    config_body='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Entrypoint":["/coredns"],"User":"65532:65532","WorkingDir":"/"'
    created_by="crashlab mkimage.sh: CoreDNS $COREDNS_VERSION built by build.sh coredns"
    ;;
  *) die "unknown image kind $kind" ;;
esac

# One uncompressed, reproducible layer.
tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
layer_digest="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
layer_size="$(stat -c %s "$work/layer.tar")"
mv "$work/layer.tar" "$layout/blobs/sha256/$layer_digest"

blob() { # write stdin as a blob, print "digest size"
  local tmp="$work/blob.tmp" d
  cat > "$tmp"
  d="$(sha256sum "$tmp" | cut -d' ' -f1)"
  mv "$tmp" "$layout/blobs/sha256/$d"
  echo "$d $(stat -c %s "$layout/blobs/sha256/$d")"
}

read -r cfg_digest cfg_size < <(printf '%s' \
  '{"architecture":"'"$IMAGE_ARCH"'","os":"linux","created":"1970-01-01T00:00:00Z",'\
'"config":{'"$config_body"'},'\
'"rootfs":{"type":"layers","diff_ids":["sha256:'"$layer_digest"'"]},'\
'"history":[{"created":"1970-01-01T00:00:00Z","created_by":"'"$created_by"'"}]}' | blob)

read -r man_digest man_size < <(printf '%s' \
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'\
'"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'"$cfg_digest"'","size":'"$cfg_size"'},'\
'"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:'"$layer_digest"'","size":'"$layer_size"'}]}' | blob)

tag="${name##*:}"
printf '%s' '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{'\
'"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$man_digest"'","size":'"$man_size"','\
'"platform":{"architecture":"'"$IMAGE_ARCH"'","os":"linux"},'\
'"annotations":{"io.containerd.image.name":"'"$name"'","org.opencontainers.image.ref.name":"'"$tag"'"}}]}' > "$layout/index.json"

mkdir -p "$(dirname "$out")"
tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner -C "$layout" -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"
log "image $name -> $out (manifest sha256:${man_digest:0:12}, layer $((layer_size / 1024)) KiB)"
