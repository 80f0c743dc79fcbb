#!/usr/bin/env bash
# image-pull.sh: pull + unpack throughput of a ~300 MB image (4 gzip layers) from a private
# docker-registry on 127.0.0.1, nido against skopeo + umoci, alternating tool by tool, RUNS
# runs each (default 5) after WARMUP (1). Never gates: it prints one table and exits 0 unless the
# setup itself fails.
#
#   sudo bench/image-pull.sh                 # about 4 min on a 2-vCPU VM
#   sudo RUNS=3 SIZE_MB=300 bench/image-pull.sh
#
# The image is made once per invocation by bench/lib/make-oci-image.py (deterministic content:
# many small text files, a few large random ones, "binaries", whiteouts and an opaque dir),
# pushed with skopeo to `docker-registry serve` (storage in the work dir, free port), then per run:
#   nido          pull:   nido --root S pull --insecure 127.0.0.1:PORT -q IMG
#                 unpack: d=$(nido --root S image mount IMG)   (unpacks every layer into
#                         snapshots and mounts the overlay); `image unmount` is not timed
#   skopeo+umoci  pull:   skopeo copy --src-tls-verify=false docker://IMG oci:D:big
#                 unpack: umoci unpack --image D:big B   (umoci also writes its mtree manifest)
# Each run starts from an empty store / empty dirs, and its output is deleted afterwards.
# Times are wall clock ($EPOCHREALTIME around each command; nido includes the JVM start).
# sync_s is a `sync -f` of the work file system right after the unpack (before nido's unmount,
# which syncs the upper file system by itself), NOT part of total: it shows the write-back a tool
# left behind (nido fsyncs the blobs it pulls; both leave the unpacked files to the kernel's
# write-back); it is file-system wide, so other people's writes add noise to it.
# MB = 10^6 bytes. pull MB/s is over the compressed size (the gzip blobs: what crosses the
# wire); unpack and total MB/s are over the uncompressed size (the layer tars).
#
# Everything lives in a temp dir under /var/tmp (WORK_PARENT); the script re-executes itself in
# a private mount namespace, so the overlays nido mounts are never seen by the host and vanish
# with the script at the latest. In that namespace only, skopeo's shared blob-info cache
# (/var/lib/containers/cache) is covered by an empty dir of ours, so the host's file is not
# touched. The registry is killed by its pid, the work dir removed, on any exit.
#
# Env: RUNS (5) WARMUP (1) SIZE_MB (300) TOOLS ("nido skopeo-umoci") WORK_PARENT (/var/tmp)
set -euo pipefail
export LC_ALL=C
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
SIZE_MB=${SIZE_MB:-300}
TOOLS=${TOOLS:-"nido skopeo-umoci"}
WORK_PARENT=${WORK_PARENT:-/var/tmp}
here=$(cd "$(dirname "$0")/.." && pwd)
NIDO=$here/bin/nido
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
for c in docker-registry skopeo umoci python3 curl tar gzip; do
  command -v "$c" >/dev/null || { echo "missing: $c" >&2; exit 1; }
done
[ -f "$here/target/nido.jar" ] || { echo "build nido first (target/nido.jar)" >&2; exit 1; }

if [ -z "${_NIDO_BENCH_NS:-}" ]; then
  exec unshare --mount --propagation private env _NIDO_BENCH_NS=1 bash ${BENCH_TRACE:+-x} "$0" "$@"
fi

work=$(mktemp -d "$WORK_PARENT/nido-bench-pull.XXXXXX")
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR"
reg_pid=
cache_mnt=
ours_mounted() { awk -v w="$work/" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r; }
unmount_ours() {
  local m
  for m in $(ours_mounted); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
}
cleanup() {
  set +e
  if [ -n "$reg_pid" ]; then kill "$reg_pid" 2>/dev/null; wait "$reg_pid" 2>/dev/null; fi
  unmount_ours
  [ -n "$cache_mnt" ] && umount "$cache_mnt" 2>/dev/null
  [ -n "$(ours_mounted)" ] && { echo "still mounted, not deleting $work: $(ours_mounted)" >&2; return; }
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "image-pull: $*" >&2; }

# skopeo (as root) writes /var/lib/containers/cache/blob-info-cache-v1.boltdb: keep ours apart
cache_note="skopeo blob-info cache: private (bind-mounted in this mount namespace)"
if [ -d /var/lib/containers/cache ]; then
  mkdir -p "$work/containers-cache" && mount --bind "$work/containers-cache" /var/lib/containers/cache
  cache_mnt=/var/lib/containers/cache
elif [ -d /var/lib/containers ]; then
  mkdir -p "$work/containers" && mount --bind "$work/containers" /var/lib/containers
  cache_mnt=/var/lib/containers
else
  cache_note="skopeo blob-info cache: skopeo may create /var/lib/containers/cache on the host"
fi
cat > "$work/policy.json" <<'EOF'
{"default": [{"type": "insecureAcceptAnything"}]}
EOF

# ---------------------------------------------------------------- registry ---
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_registry() {
  local try i
  mkdir -p "$work/registry"
  for try in 1 2 3; do
    PORT=$(free_port)
    cat > "$work/registry.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$PORT
EOF
    docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
    reg_pid=$!
    for ((i = 0; i < 100; i++)); do
      curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v2/" 2>/dev/null && return 0
      kill -0 "$reg_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$reg_pid" 2>/dev/null; wait "$reg_pid" 2>/dev/null || true; reg_pid=
  done
  echo "docker-registry did not start: $(tail -3 "$work/registry.log")" >&2
  exit 1
}
start_registry
REG=127.0.0.1:$PORT
IMG=$REG/bench/big:1

# ------------------------------------------------------------------- image ---
log "making a ${SIZE_MB} MB image"
t0=${EPOCHREALTIME/./}
python3 "$here/bench/lib/make-oci-image.py" --size-mb "$SIZE_MB" "$work/gen" "$work/src-oci" > "$work/image.json"
skopeo --policy "$work/policy.json" copy -q --dest-tls-verify=false "oci:$work/src-oci:bench" "docker://$IMG" >/dev/null
rm -rf "$work/src-oci" "$work/gen"
t1=${EPOCHREALTIME/./}
U=$(jq .uncompressed "$work/image.json")
C=$(jq .compressed "$work/image.json")
NL=$(jq '.layers | length' "$work/image.json")
log "image ready in $(( (t1 - t0) / 1000000 )) s: $IMG"

# -------------------------------------------------------------------- runs ---
# one_TOOL DIR: run one pull + unpack in the empty DIR; prints "pull_us unpack_us sync_us"
timed_sync() { local a=${EPOCHREALTIME/./}; sync -f "$work"; echo $((${EPOCHREALTIME/./} - a)); }
one_nido() {
  local S=$1/store a b c d s
  a=${EPOCHREALTIME/./}
  "$NIDO" --root "$S" pull --insecure "$REG" -q "$IMG" </dev/null >/dev/null || return 1
  b=${EPOCHREALTIME/./}
  d=$("$NIDO" --root "$S" image mount "$IMG" </dev/null) || return 1
  c=${EPOCHREALTIME/./}
  [ -d "$d" ] || { echo "image mount printed '$d', not a directory" >&2; return 1; }
  s=$(timed_sync)                  # before the unmount: unmounting an overlay syncs its upper fs
  echo "$((b - a)) $((c - b)) $s"
  "$NIDO" --root "$S" image unmount "$d" </dev/null >/dev/null || echo "nido image unmount $d failed" >&2
}
one_skopeo_umoci() {
  local D=$1/oci B=$1/bundle a b c s
  a=${EPOCHREALTIME/./}
  skopeo --policy "$work/policy.json" copy -q --src-tls-verify=false "docker://$IMG" "oci:$D:big" \
    </dev/null >/dev/null || return 1
  b=${EPOCHREALTIME/./}
  umoci unpack --image "$D:big" "$B" </dev/null >/dev/null || return 1
  c=${EPOCHREALTIME/./}
  s=$(timed_sync)
  echo "$((b - a)) $((c - b)) $s"
}
run_one() { # TOOL LABEL: appends to $work/s.TOOL.{pull,unpack,total,sync} unless LABEL is w*
  local t=$1 dir=$work/run-$1-$2 p u s out
  sync -f "$work"                  # start without dirty data of earlier runs
  mkdir -p "$dir"
  if out=$("one_${t//-/_}" "$dir" 2>>"$work/$t.err"); then
    read -r p u s <<< "$out"
    if [[ $2 != w* ]]; then
      echo "$p" >> "$work/s.$t.pull"; echo "$u" >> "$work/s.$t.unpack"
      echo $((p + u)) >> "$work/s.$t.total"; echo "$s" >> "$work/s.$t.sync"
    fi
  else
    echo "$t run $2 failed: $(grep -v '^$' "$work/$t.err" | tail -1)" >&2
    [[ $2 == w* ]] || echo x >> "$work/s.$t.fail"
  fi
  unmount_ours                     # normally nothing: nido unmounted its overlay already
  [ -z "$(ours_mounted)" ] || { echo "still mounted: $(ours_mounted)" >&2; exit 1; }
  rm -rf "$dir"
}
for ((i = 0; i < WARMUP; i++)); do for t in $TOOLS; do log "warm-up $t"; run_one "$t" "w$i"; done; done
for ((i = 0; i < RUNS; i++)); do
  for t in $TOOLS; do log "run $((i + 1))/$RUNS $t"; run_one "$t" "$i"; done
done

# ------------------------------------------------------------------- table ---
median() { # FILE -> seconds
  [ -s "$1" ] || { echo -; return; }
  sort -n "$1" | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1e6}'
}
minmax() { sort -n "$1" | awk 'NR==1{mi=$1} {ma=$1} END {printf "%.2f-%.2f", mi/1e6, ma/1e6}'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN {if (s == "-" || s == 0) print "-"; else printf "%.1f", b/1e6/s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a/b}'; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b/1e6}'; }
fstype=$(df --output=fstype "$work" | tail -1)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
echo "# image-pull: pull + unpack of $IMG from docker-registry on loopback; $RUNS runs each after $WARMUP warm-up, alternating"
echo "# $(date -u +%FT%TZ); kernel $(uname -r); $(nproc) CPUs ($cpu); $(awk '/^MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); work dir $work on $fstype"
echo "# image: $NL gzip layers, $(mb "$U") MB uncompressed (layer tars), $(mb "$C") MB compressed (gzip blobs); MB = 10^6 bytes"
echo "# versions: nido $("$NIDO" --version 2>/dev/null | head -1 | awk '{print $NF}'), $(skopeo --version), $(umoci --version), $(docker-registry --version | awk '{print $1, $NF}')"
echo "# $cache_note"
printf '%-13s %3s %4s %7s %8s %7s %11s %9s %9s %9s %7s\n' \
  tool n fail pull_s unpack_s total_s total_range pull_MB/s unpk_MB/s tot_MB/s sync_s
declare -A P UN T
for t in $TOOLS; do
  f=$work/s.$t
  fails=$( [ -f "$f.fail" ] && wc -l < "$f.fail" || echo 0)
  if [ ! -s "$f.total" ]; then
    printf '%-13s %3s %4s FAILED: %s\n' "$t" 0 "$fails" "$(grep -v '^$' "$work/$t.err" 2>/dev/null | tail -1 | cut -c1-160)"
    P[$t]=-; UN[$t]=-; T[$t]=-; continue
  fi
  P[$t]=$(median "$f.pull"); UN[$t]=$(median "$f.unpack"); T[$t]=$(median "$f.total")
  printf '%-13s %3s %4s %7s %8s %7s %11s %9s %9s %9s %7s\n' "$t" "$(wc -l < "$f.total")" "$fails" \
    "${P[$t]}" "${UN[$t]}" "${T[$t]}" "$(minmax "$f.total")" \
    "$(rate "$C" "${P[$t]}")" "$(rate "$U" "${UN[$t]}")" "$(rate "$U" "${T[$t]}")" "$(median "$f.sync")"
done
if [[ " $TOOLS " == *" nido "* && " $TOOLS " == *" skopeo-umoci "* ]]; then
  printf '%-13s %3s %4s %7s %8s %7s   (time ratio nido / skopeo+umoci: <1 means nido is faster)\n' \
    nido/ref "" "" "$(ratio "${P[nido]}" "${P[skopeo-umoci]}")" \
    "$(ratio "${UN[nido]}" "${UN[skopeo-umoci]}")" "$(ratio "${T[nido]}" "${T[skopeo-umoci]}")"
fi
for t in $TOOLS; do   # the errors of failed runs (nido's progress lines are not errors)
  [ -s "$work/s.$t.fail" ] && [ -s "$work/$t.err" ] && { echo "# $t stderr (last 5 lines):"; grep -v '^$' "$work/$t.err" | tail -5 | sed 's/^/#   /'; }
done
exit 0
