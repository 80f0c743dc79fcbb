#!/usr/bin/env bash
# The main job on the embedded default: a busybox rootfs (from Debian's busybox-static) run as an
# OCI bundle by `nido-runtime run`. Installs what is needed and builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root (containers need namespaces and cgroups)" >&2; exit 1; }
bash scripts/install-deps.sh
bash scripts/build.sh
bundle=${NIDO_DEMO_BUNDLE:-/var/tmp/nido-demo}
bash scripts/busybox-bundle.sh "$bundle" >/dev/null
echo "+ bin/nido-runtime run --bundle $bundle nido-demo-$$"
bin/nido-runtime run --bundle "$bundle" "nido-demo-$$"
# The engine on the same machine, offline: the busybox image is made from its template on first use.
echo "+ bin/nido run --rm busybox echo hello from nido run"
bin/nido run --rm busybox echo hello from nido run
