#!/usr/bin/env bash
# start-latency.sh: `RT run --bundle B ID` of /bin/true for nido-runtime, crun and runc on the
# same busybox bundle, alternating runtimes run by run (so drift hits all alike), RUNS each
# (default 50) after WARMUP (5). Prints median, min, max in ms and the ratio to crun and runc.
#
# crun 1.8 refuses a hybrid cgroup host, so by default the script re-executes itself in a
# private mount namespace where /sys/fs/cgroup/unified is hidden (the host's mounts are not
# touched; the v1 hierarchies are the same kernel objects). HIDE_CGROUP2=0 runs natively.
# Every runtime gets its own cgroup under /<hierarchy>/nidobench-sl/, removed at the end.
#
# Env: RUNS WARMUP RUNTIMES ("nido crun runc") HIDE_CGROUP2 (1) NAMESPACES (default: the spec's)
set -euo pipefail
export LC_ALL=C
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}
RUNTIMES=${RUNTIMES:-"nido crun runc"}
HIDE_CGROUP2=${HIDE_CGROUP2:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

if [ "$HIDE_CGROUP2" = 1 ] && [ -z "${_NIDO_BENCH_NS:-}" ] && \
   [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
  exec unshare --mount --propagation private env _NIDO_BENCH_NS=1 bash ${BENCH_TRACE:+-x} "$0" "$@"
fi
view="native"
if [ -n "${_NIDO_BENCH_NS:-}" ]; then
  umount /sys/fs/cgroup/unified
  mount -t tmpfs -o size=1m,mode=755 nidobench-cg2-hidden /sys/fs/cgroup/unified
  view="v1 view (cgroup2 hidden in a private mount namespace)"
fi

work=$(mktemp -d /var/tmp/nido-bench.XXXXXX)
CG=nidobench-sl
cleanup() {
  set +e
  for rt in $RUNTIMES; do
    for id in $(cmd_of "$rt" list -q 2>/dev/null | grep '^nbx'); do cmd_of "$rt" delete -f "$id" >/dev/null 2>&1; done
    rmdir "/run/nidobench-$rt" 2>/dev/null
  done
  for d in /sys/fs/cgroup/*/"$CG"; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  rm -rf "$work"
}
cmd_of() {
  local rt=$1; shift
  case $rt in
    nido) "$here/bin/nido-runtime" --root /run/nidobench-nido "$@" ;;
    *) "$rt" --root "/run/nidobench-$rt" "$@" ;;
  esac
}
trap cleanup EXIT

bash "$here/scripts/busybox-bundle.sh" "$work/bundle" /bin/true >/dev/null
jq --arg cg "/$CG/c" '.ociVersion="1.0.2" | .linux.cgroupsPath=$cg | .root.path="'"$work/bundle/rootfs"'"' \
  "$work/bundle/config.json" > "$work/c.json" && mv "$work/c.json" "$work/bundle/config.json"

declare -A samples
for rt in $RUNTIMES; do
  command -v "$rt" >/dev/null || [ "$rt" = nido ] || { echo "skip $rt: not installed" >&2; RUNTIMES=${RUNTIMES//$rt/}; }
done
one() { # RT I
  local t0 t1
  t0=${EPOCHREALTIME/./}
  cmd_of "$1" run --bundle "$work/bundle" "nbx-$1-$2" </dev/null >/dev/null 2>>"$work/$1.err" || return 1
  t1=${EPOCHREALTIME/./}
  echo $((t1 - t0)) >> "$work/$1.samples"
}
for ((i = 0; i < WARMUP; i++)); do for rt in $RUNTIMES; do one "$rt" "w$i" || true; done; done
rm -f "$work"/*.samples
for ((i = 0; i < RUNS; i++)); do
  for rt in $RUNTIMES; do one "$rt" "$i" || echo "$rt run $i failed: $(tail -1 "$work/$rt.err")" >&2; done
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR==0) {print "-"; exit} m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'; }
minmax() { sort -n "$1" | awk 'NR==1{mi=$1} {ma=$1} END {printf "%.2f %.2f\n", mi/1000, ma/1000}'; }
echo "# start-latency: run /bin/true, $RUNS runs each, alternating; $(date -u +%FT%TZ); kernel $(uname -r); cgroups: $view"
declare -A med
for rt in $RUNTIMES; do [ -s "$work/$rt.samples" ] && med[$rt]=$(median "$work/$rt.samples"); done
printf '%-8s %5s %9s %9s %9s %9s %9s\n' runtime n median_ms min_ms max_ms x_crun x_runc
for rt in $RUNTIMES; do
  f=$work/$rt.samples
  [ -s "$f" ] || { printf '%-8s FAILED: %s\n' "$rt" "$(tail -1 "$work/$rt.err" 2>/dev/null)"; continue; }
  read -r mi ma < <(minmax "$f")
  xc=-; xr=-
  [ -n "${med[crun]:-}" ] && xc=$(awk -v a="${med[$rt]}" -v b="${med[crun]}" 'BEGIN{printf "%.2f", a/b}')
  [ -n "${med[runc]:-}" ] && xr=$(awk -v a="${med[$rt]}" -v b="${med[runc]}" 'BEGIN{printf "%.2f", a/b}')
  printf '%-8s %5s %9s %9s %9s %9s %9s\n' "$rt" "$(wc -l < "$f")" "${med[$rt]}" "$mi" "$ma" "$xc" "$xr"
done
