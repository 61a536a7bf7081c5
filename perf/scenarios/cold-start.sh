#!/usr/bin/env bash
# Cold start of `./parley start` to its ready line, on a new data folder and on an existing one,
# then the idle node's heap (from /metrics) and resident memory (from /proc). Final line: JSON.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${RUNS:-3}"
PORT="${PORT:-18089}"
WORK="$(mktemp -d)"
trap 'pkill -TERM -f "io.parley.node.Main start --data $WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Build first so that no build is timed.
"$ROOT/parley" build

# Starts a node on $1, prints milliseconds from launch to the ready line, leaves it running.
start_node() {
  local data="$1" log="$WORK/node.log" t0 t1
  t0=$(date +%s%N)
  "$ROOT/parley" start --data "$data" --port "$PORT" >"$log" 2>&1 &
  echo $! >"$WORK/pid"
  until grep -q "Parley ready on" "$log"; do
    kill -0 "$(cat "$WORK/pid")" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

stop_node() {
  kill -TERM "$(cat "$WORK/pid")"
  while kill -0 "$(cat "$WORK/pid")" 2>/dev/null; do sleep 0.05; done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

new_ms=(); existing_ms=()
for i in $(seq 1 "$RUNS"); do
  new_ms+=("$(start_node "$WORK/data-$i")"); stop_node
  existing_ms+=("$(start_node "$WORK/data-$i")")
  if [[ $i -lt $RUNS ]]; then stop_node; fi
done

sleep 5   # let the idle node settle before reading memory
pid="$(cat "$WORK/pid")"
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
# Embedded servers' proportional share (PSS, so PostgreSQL's shared buffers count once).
data="$WORK/data-$RUNS"
pg_pids=$(pgrep -f -- "-D $data/postgres" || true; pgrep -P "$(head -1 "$data/postgres/postmaster.pid")" || true)
servers_pss_kb=0
for p in $pg_pids $(cat "$data/redis/redis.pid"); do
  kb=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
  servers_pss_kb=$((servers_pss_kb + ${kb:-0}))
done
heap_bytes=$(curl -s "http://127.0.0.1:$PORT/metrics" \
  | awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $NF} END {printf "%d", s}')
stop_node

new_median=$(printf '%s\n' "${new_ms[@]}" | median)
existing_median=$(printf '%s\n' "${existing_ms[@]}" | median)
echo "cold start, new data folder (ms): ${new_ms[*]}"
echo "cold start, existing data folder (ms): ${existing_ms[*]}"
echo "idle node: heap used $((heap_bytes / 1048576)) MiB, JVM resident $((rss_kb / 1024)) MiB, embedded PostgreSQL + Redis $((servers_pss_kb / 1024)) MiB (PSS)"
printf '{"scenario":"cold-start","runs":%d,"new_folder_ms_median":%d,"existing_folder_ms_median":%d,"idle_heap_used_mib":%d,"idle_jvm_rss_mib":%d,"idle_embedded_servers_pss_mib":%d}\n' \
  "$RUNS" "$new_median" "$existing_median" "$((heap_bytes / 1048576))" "$((rss_kb / 1024))" "$((servers_pss_kb / 1024))"
