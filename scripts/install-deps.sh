#!/usr/bin/env bash
# Installs what nido needs to build, test and run on Debian 12 (as root). Idempotent.
set -euo pipefail
JDK=${NIDO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
pkgs=(maven gcc make libc6-dev busybox-static iproute2 procps jq runc crun hyperfine podman conmon uidmap python3 tini
      docker-registry skopeo umoci debootstrap zstd)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! grep -q '^JAVA_VERSION="2[5-9]' "$JDK/release" 2>/dev/null; then
  echo "error: JDK 25 not found at $JDK." >&2
  echo "Install Temurin 25 (https://adoptium.net/installation/linux/: apt-get install temurin-25-jdk)" >&2
  echo "or point NIDO_JAVA_HOME at any JDK 25." >&2
  exit 1
fi
