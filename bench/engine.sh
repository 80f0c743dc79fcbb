#!/usr/bin/env bash
# engine.sh: start-to-exit latency of a throwaway busybox container running `true`, engine against
# engine, alternating the tools run by run (so drift hits all alike), RUNS each (default 20) after
# WARMUP (3):
#   nido         bin/nido --root STORE run --rm busybox true        (per-container monitor: nido-shim)
#   podman-crun  podman run --rm --network none busybox true        (monitor: conmon; runtime crun)
#   podman-runc  the same with --runtime runc
#   lxc          lxc-execute -P LXCPATH -n nbe -f CONFIG -- /bin/true (no network)
# All use the same busybox: nido makes it offline from its template; podman gets it through
# `nido save --format docker` + `podman load`, lxc as a directory from `nido export`.
# Then the RSS of one idle per-container monitor: nido's (pid: STORE/containers/ID/monitor.pid)
# against podman's conmon, both watching `sleep 1000`.
# Prints median, min, max in ms and how many times slower each tool is than nido (x_nido).
#
# Everything runs in a private mount namespace (the script re-executes itself there): crun 1.8
# refuses the hybrid cgroup layout, so /sys/fs/cgroup/unified is hidden (HIDE_CGROUP2=0: not), and
# fresh tmpfs cover the state directories podman, crun, runc and lxc would share with the machine
# (/run/{crun,runc,lxc,libpod,containers}, /var/lib/containers, /dev/shm with podman's lock segment).
# Stores live in a temp dir under /var/tmp; it, the containers, the image and the cgroups the tools
# made (nido, libpod_parent, lxc.*) go at the end, also after a failure. A tool that cannot run
# is reported and left out.
#
# Env: RUNS WARMUP TOOLS ("nido podman-crun podman-runc lxc") HIDE_CGROUP2 (1)
set -euo pipefail
export LC_ALL=C
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
TOOLS=${TOOLS:-"nido podman-crun podman-runc lxc"}
HIDE_CGROUP2=${HIDE_CGROUP2:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

# Directories that would otherwise be shared with the machine's podman/crun/runc/lxc. Missing ones
# are made (empty) as mount points and removed again at the end, so the host sees no change.
PRIVATE_DIRS="/run/crun /run/runc /run/lxc /run/libpod /run/containers /var/lib/containers /dev/shm"
if [ -z "${_NIDO_BENCH_NS:-}" ]; then
  made=""
  for d in $PRIVATE_DIRS; do [ -e "$d" ] || { mkdir -p "$d"; made="$made $d"; }; done
  rc=0
  unshare --mount --propagation private env _NIDO_BENCH_NS=1 bash ${BENCH_TRACE:+-x} "$0" "$@" &
  child=$!  # (unshare and env exec: this is the namespaced bash) a signal here makes it clean up
  trap 'kill -TERM "$child" 2>/dev/null; rc=130' INT TERM
  while kill -0 "$child" 2>/dev/null; do wait "$child" || rc=$((rc == 130 ? rc : $?)); done
  for d in $made; do rmdir "$d" 2>/dev/null || echo "note: $d not empty, left in place" >&2; done
  exit "$rc"
fi
view="native"
if [ "$HIDE_CGROUP2" = 1 ] && [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
  umount /sys/fs/cgroup/unified
  mount -t tmpfs -o size=1m,mode=755 nidobench-cg2-hidden /sys/fs/cgroup/unified
  view="v1 view (cgroup2 hidden in a private mount namespace)"
fi
for d in $PRIVATE_DIRS; do
  mode=755; [ "$d" = /dev/shm ] && mode=1777
  mount -t tmpfs -o "size=64m,mode=$mode" nidobench-private "$d"
done

work=$(mktemp -d /var/tmp/nido-bench-engine.XXXXXX)
store=$work/store
nido=("$here/bin/nido" --root "$store")
P=(podman --root "$work/podman/root" --runroot "$work/podman/run" --tmpdir "$work/podman/tmp"
   --cgroup-manager cgroupfs --events-backend none)
# This host denies CAP_SYS_RESOURCE: podman's default rlimits (nofile 1048576, nproc above
# podman's own 32768) cannot be set and every start fails with EPERM; ask for limits within reach.
PU=(--network none --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)
lxcp=$work/lxc
CGNAMES="nido libpod_parent lxc.pivot lxc.payload.nbe lxc.monitor.nbe"
for n in $CGNAMES; do for d in /sys/fs/cgroup/*/"$n"; do [ -d "$d" ] && echo "$d"; done; done > "$work/cg.before"

cleanup() {
  set +e
  local f p d n
  "${nido[@]}" rm -f nbe-idle >/dev/null 2>&1
  for f in "$store"/containers/*/monitor.pid; do  # monitors still up (a run cut short)
    [ -f "$f" ] || continue
    read -r p _ < "$f"
    grep -qa '^nido-shim' "/proc/$p/cmdline" 2>/dev/null && "${nido[@]}" rm -f "$(basename "$(dirname "$f")")" >/dev/null 2>&1
  done
  if [ -d "$work/podman" ]; then
    "${P[@]}" rm -fa -t 0 >/dev/null 2>&1
    "${P[@]}" rmi -af >/dev/null 2>&1
  fi
  lxc-stop -P "$lxcp/path" -n nbe -k >/dev/null 2>&1
  # cgroups the tools made here that did not exist before (empty ones only: rmdir)
  for n in $CGNAMES; do
    for d in /sys/fs/cgroup/*/"$n"; do
      [ -d "$d" ] && ! grep -qxF "$d" "$work/cg.before" && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
  done
  # unmount what is left under $work (overlays of both stores) before deleting it
  awk -v w="$work" '$5 ~ "^" w {print $5}' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A why   # tool -> why it cannot run
has() { [[ " $TOOLS " == *" $1 "* ]]; }
drop() { echo "skip $1: $2" >&2; why[$1]=$2; TOOLS=$(echo " $TOOLS " | sed "s/ $1 / /; s/^ *//; s/ *$//"); }
# --- setup: the busybox image in nido's store, then podman's copy and lxc's rootfs from it
if ! "${nido[@]}" run --rm busybox true >"$work/setup.log" 2>&1; then
  echo "nido cannot make/run busybox: $(tail -1 "$work/setup.log")" >&2
  for t in $TOOLS; do drop "$t" "no busybox image (nido failed: $(tail -1 "$work/setup.log"))"; done
fi
if has podman-crun || has podman-runc; then
  mkdir -p "$work/podman/tmp"
  if ! command -v podman >/dev/null; then
    for t in podman-crun podman-runc; do has $t && drop $t "podman not installed"; done
  elif ! { "${nido[@]}" save --format docker -o "$work/busybox.tar" busybox &&
           "${P[@]}" load -q -i "$work/busybox.tar"; } >"$work/podman-load.log" 2>&1; then
    for t in podman-crun podman-runc; do has $t && drop $t "save/load failed: $(tail -1 "$work/podman-load.log")"; done
  fi
  for rt in crun runc; do has "podman-$rt" && ! command -v "$rt" >/dev/null && drop "podman-$rt" "$rt not installed"; done
fi
if has lxc; then
  mkdir -p "$lxcp/rootfs" "$lxcp/path"
  if ! command -v lxc-execute >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lxc >"$work/apt.log" 2>&1 ||
      drop lxc "lxc not installed and apt-get failed: $(tail -1 "$work/apt.log")"
  fi
  if has lxc && ! { "${nido[@]}" export -o "$work/rootfs.tar" busybox && tar -C "$lxcp/rootfs" -xf "$work/rootfs.tar"; } >"$work/lxc.log" 2>&1; then
    drop lxc "nido export failed: $(tail -1 "$work/lxc.log")"
  fi
  cat > "$lxcp/config" <<EOF
lxc.uts.name = nbe
lxc.rootfs.path = dir:$lxcp/rootfs
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
lxc.mount.auto = proc:mixed sys:ro
EOF
fi

# --- latency
run_tool() { # TOOL: one throwaway container running true
  case $1 in
    nido) "${nido[@]}" run --rm busybox true ;;
    podman-crun) "${P[@]}" run --runtime crun --rm "${PU[@]}" busybox true ;;
    podman-runc) "${P[@]}" run --runtime runc --rm "${PU[@]}" busybox true ;;
    lxc) lxc-execute -P "$lxcp/path" -n nbe -f "$lxcp/config" -- /bin/true ;;
    *) echo "unknown tool $1" >&2; return 1 ;;
  esac
}
# Both engines' monitors run an exit command once the container is gone (`nido container
# cleanup` is another JVM; podman's conmon runs `podman container cleanup`), in the background of
# the measured command (both skip it when the foreground command cleans up itself, as here). Wait
# until none is left, so one cannot slow the next tool's run.
settle() {
  local i
  for ((i = 0; i < 500; i++)); do
    [ -z "$(grep -las -- cleanup /proc/[0-9]*/cmdline | xargs -r grep -lasF -- "$work")" ] && return 0
    sleep 0.01
  done
}
one() { # TOOL I
  local t0 t1 rc=0
  t0=${EPOCHREALTIME/./}
  run_tool "$1" </dev/null >/dev/null 2>>"$work/$1.err" || rc=1
  t1=${EPOCHREALTIME/./}
  settle
  [ "$rc" = 0 ] || return 1
  echo $((t1 - t0)) >> "$work/$1.samples"
}
for t in $TOOLS; do  # a first run each: a tool that cannot start a container at all is left out
  one "$t" probe || drop "$t" "$(tail -1 "$work/$t.err")"
done
for ((i = 1; i < WARMUP; i++)); do for t in $TOOLS; do one "$t" "w$i" || true; done; done
rm -f "$work"/*.samples
for ((i = 0; i < RUNS; i++)); do
  for t in $TOOLS; do one "$t" "$i" || echo "$t run $i failed: $(tail -1 "$work/$t.err")" >&2; done
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR==0) {print "-"; exit} m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'; }
minmax() { sort -n "$1" | awk 'NR==1{mi=$1} {ma=$1} END {printf "%.2f %.2f\n", mi/1000, ma/1000}'; }
echo "# engine: start-to-exit of a busybox container running true, $RUNS runs each after $WARMUP warm-up, alternating;" \
  "$(date -u +%FT%TZ); kernel $(uname -r); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg); cgroups: $view"
declare -A med
for t in $TOOLS; do [ -s "$work/$t.samples" ] && med[$t]=$(median "$work/$t.samples"); done
echo "# x_nido: the tool's median / nido's (above 1: nido is faster)"
printf '%-12s %5s %9s %9s %9s %9s\n' tool n median_ms min_ms max_ms x_nido
for t in nido podman-crun podman-runc lxc; do
  f=$work/$t.samples
  [ -n "${why[$t]:-}" ] && { printf '%-12s NOT RUN: %s\n' "$t" "${why[$t]}"; continue; }
  has "$t" || continue
  [ -s "$f" ] || { printf '%-12s FAILED: %s\n' "$t" "$(tail -1 "$work/$t.err" 2>/dev/null)"; continue; }
  read -r mi ma < <(minmax "$f")
  x=-
  [ -n "${med[nido]:-}" ] && x=$(awk -v a="${med[$t]}" -v b="${med[nido]}" 'BEGIN{printf "%.2f", a/b}')
  printf '%-12s %5s %9s %9s %9s %9s\n' "$t" "$(wc -l < "$f")" "${med[$t]}" "$mi" "$ma" "$x"
done

# --- RSS of one idle per-container monitor
rss() { # PID: "VmRSS kB (anon A, file F, shmem S)"
  awk '/^VmRSS/{r=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2} /^RssShmem/{s=$2}
       END {printf "%s kB (anon %s, file %s, shmem %s)", r, a, f, s}' "/proc/$1/status"
}
kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
echo "# idle monitor RSS (container running sleep 1000, read after 1 s)"
mon=""; con=""; idle_rt=crun
has podman-crun || idle_rt=runc  # conmon is the same for both; crun may be the one that cannot run
if [ -n "${why[nido]:-}" ] || ! id=$("${nido[@]}" run -d --name nbe-idle busybox sleep 1000 2>"$work/idle.err"); then
  echo "nido monitor: NOT RUN: ${why[nido]:-$(tail -1 "$work/idle.err")}"
else
  sleep 1
  read -r mon _ < "$store/containers/$id/monitor.pid"
  # (its comm is the fd number it was exec'd from, a sealed memfd: argv[0] names it)
  echo "nido monitor ($(tr '\0' '\n' < "/proc/$mon/cmdline" | head -1), pid $mon): VmRSS $(rss "$mon")"
fi
if ! command -v podman >/dev/null || [ ! -s "$work/busybox.tar" ] ||
   ! pid=$("${P[@]}" run -d --name nbe-idle --runtime "$idle_rt" "${PU[@]}" busybox sleep 1000 2>"$work/pidle.err"); then
  echo "conmon: NOT RUN: $(tail -1 "$work/pidle.err" 2>/dev/null || echo 'podman not set up (not in TOOLS, or failed)')"
else
  sleep 1
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = conmon ] && tr '\0' ' ' < "$d/cmdline" 2>/dev/null | grep -q -- "-c $pid" &&
      { con=${d#/proc/}; break; }
  done
  if [ -n "$con" ]; then echo "podman conmon (pid $con): VmRSS $(rss "$con")"; else echo "conmon: not found for $pid"; fi
fi
if [ -n "$mon" ] && [ -n "$con" ]; then
  awk -v a="$(kb "$mon")" -v b="$(kb "$con")" 'BEGIN{printf "nido monitor / conmon VmRSS: %.2f\n", a/b}'
fi
"${nido[@]}" rm -f nbe-idle >/dev/null 2>&1 || true
"${P[@]}" rm -f -t 0 nbe-idle >/dev/null 2>&1 || true
