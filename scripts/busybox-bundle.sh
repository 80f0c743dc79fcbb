#!/usr/bin/env bash
# busybox-bundle.sh DIR [ARGS...]: an OCI bundle in DIR whose rootfs is Debian's static busybox
# with every applet linked, and whose config.json (from `nido-runtime spec`) runs ARGS
# (default: a greeting that shows the container's own hostname, pid and mounts).
set -euo pipefail
dir=$1; shift
here=$(cd "$(dirname "$0")/.." && pwd)
[ -x /bin/busybox ] || { echo "/bin/busybox missing: apt-get install busybox-static" >&2; exit 1; }
mkdir -p "$dir/rootfs"
r=$dir/rootfs
if [ ! -x "$r/bin/busybox" ]; then
  mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,var}
  cp /bin/busybox "$r/bin/busybox"
  for a in $(/bin/busybox --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
  echo 'root:x:0:' > "$r/etc/group"
fi
[ -x "$here/target/nido-probe" ] && cp "$here/target/nido-probe" "$r/bin/nido-probe"
if [ $# -eq 0 ]; then
  set -- sh -c 'echo "hello from nido: hostname=$(hostname) pid=$$ user=$(id -u)"; echo "mounts:"; cut -d" " -f2,3 /proc/mounts | sed "s/^/  /"'
fi
rm -f "$dir/config.json"
"$here/bin/nido-runtime" spec --bundle "$dir"
args=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
tmp=$(mktemp)
jq --argjson a "$args" '.process.terminal=false | .process.args=$a' "$dir/config.json" > "$tmp"
mv "$tmp" "$dir/config.json"
echo "$dir"
