#!/usr/bin/env bash
# Trains the JDK's AOT cache (JEP 483/514) on real commands, so that nido-runtime and nido start
# with their classes already loaded and linked: one JVM runs a container with the runtime, then
# `nido run --rm busybox true` in a private store (the busybox image made from its template). Needs root (it runs a container); skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${NIDO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
rm -f target/nido.aot
if [ "$(id -u)" != 0 ] || [ ! -x /bin/busybox ]; then
  echo "aot-train: skipped (needs root and busybox-static); nido runs without the cache" >&2
  exit 0
fi
work=$(mktemp -d /tmp/nido-aot.XXXXXX)
trap 'rm -rf "$work"' EXIT
bash scripts/busybox-bundle.sh "$work/bundle" /bin/true >/dev/null
# the engine's way: the helper stays as the container's monitor (run -d --monitor), then delete
mkdir -p "$work/mon"
printf '{"dir":"%s","socket":"%s","logMaxSize":1048576,"logMaxFiles":1}\n' "$work/mon" "$work/mon/s" > "$work/mon.json"
more="runtime --root $work/state run -d --monitor $work/mon.json --bundle $work/bundle nido-aot-mon-$$"
more="$more; runtime --root $work/state delete --force nido-aot-mon-$$"
more="$more; nido --root $work/store run --rm busybox true"
# The class path must be the one the launcher uses, byte for byte, or the JVM ignores the cache.
jar=$(readlink -f target/nido.jar)
"$JAVA_HOME/bin/java" -XX:AOTCacheOutput=target/nido.aot -Xlog:disable \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData --enable-native-access=ALL-UNNAMED \
  -Dnido.prog=nido-runtime -Dnido.aot.more="$more" -cp "$jar" dev.nido.cli.Main \
  --root "$work/state" run --bundle "$work/bundle" nido-aot-train-$$ >/dev/null 2>"$work/log" ||
  { echo "aot-train: training run failed: $(tail -3 "$work/log")" >&2; rm -f target/nido.aot; exit 0; }
[ -f target/nido.aot ] && echo "aot-train: target/nido.aot ($(du -h target/nido.aot | cut -f1))"
