#!/usr/bin/env bash
# The cluster on this machine: throughput of 1, 2 and 3 nodes (each a fresh cluster of processes on
# loopback, the first with the embedded PostgreSQL and Redis, the others using those; the
# verification codes of all in one file); then, on 3 nodes, the cost of a cross-node delivery
# against a same-node one in the same run, and DEVICES idle devices spread over the nodes
# (connects/s, heap and resident memory per device). The load runs in a separate JVM.
# Environment: NODES_LIST ("1 2 3"), PAIRS (60), WINDOW (8), SECONDS_PER_PHASE (20), RATE (200
# msg/s in the delivery phase), DEVICES (10000; each process here may hold at most `ulimit -Hn`
# files, so 3 nodes hold at most about 3 x 19,000), HEAP (1g per node), BASE_PORT (18100).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d)"
BASE_PORT="${BASE_PORT:-18100}"
PIDS=()
stop_cluster() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    while kill -0 "${PIDS[$i]}" 2>/dev/null; do sleep 0.1; done
  done
  PIDS=()
}
trap 'stop_cluster; rm -rf "$WORK"' EXIT
ulimit -n "$(ulimit -Hn)"

"$ROOT/parley" build
"$ROOT/mvnw" -B -q -DskipTests -f "$ROOT/pom.xml" install -pl perf >/dev/null

# start_cluster N: N nodes in $WORK/cN; sets PIDS, SERVERS and CODES.
start_cluster() {
  local n=$1 dir="$WORK/c$1" i members log
  mkdir -p "$dir"
  CODES="$dir/verification-codes.txt"
  SERVERS=""
  unset PARLEY_POSTGRES_URL PARLEY_REDIS_URL
  for ((i = 1; i <= n; i++)); do
    members=""
    for ((j = 1; j <= n; j++)); do
      if ((j != i)); then members+="${members:+,}127.0.0.1:$((BASE_PORT + 50 + j))"; fi
    done
    log="$dir/node$i.log"; : >"$log"
    PARLEY_JAVA_OPTS="-Xmx${HEAP:-1g} -Xms${HEAP:-1g}" PARLEY_TURN_PORT=0 \
    PARLEY_ACCOUNTS_VERIFICATION_SENDER=file PARLEY_ACCOUNTS_VERIFICATION_FILE="$CODES" \
    PARLEY_LIMITS_IP_PER_SECOND=100000 PARLEY_LIMITS_IP_BURST=1000000 \
    PARLEY_LIMITS_USER_PER_SECOND=100000 PARLEY_LIMITS_USER_BURST=1000000 \
      "$ROOT/parley" start --data "$dir/node$i" --port $((BASE_PORT + i)) \
      ${members:+--cluster --cluster-port $((BASE_PORT + 50 + i)) --members "$members"} >"$log" 2>&1 &
    PIDS+=($!)
    until grep -q "Parley ready on" "$log"; do
      kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$log" >&2; exit 1; }
      sleep 0.2
    done
    if ((i == 1)); then
      export PARLEY_POSTGRES_URL="postgresql://postgres:postgres@127.0.0.1:$(grep -o 'embedded PostgreSQL on 127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$')/postgres"
      export PARLEY_REDIS_URL="redis://127.0.0.1:$(grep -o 'embedded Redis on 127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$')"
    fi
    SERVERS+="${SERVERS:+,}http://127.0.0.1:$((BASE_PORT + i))"
  done
}

load() {
  java -Xmx4g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.ClusterLoad --servers "$SERVERS" \
    --pids "$(IFS=,; echo "${PIDS[*]}")" --codes "$CODES" --pairs "${PAIRS:-60}" --window "${WINDOW:-8}" \
    --seconds "${SECONDS_PER_PHASE:-20}" --rate "${RATE:-200}" --devices "${DEVICES:-10000}" "$@"
}

for n in ${NODES_LIST:-1 2 3}; do
  start_cluster "$n"
  load --phases throughput
  stop_cluster
done
start_cluster 3
load --phases delivery,connect
grep -hE "WARN|ERROR" "$WORK"/c3/node*.log | sort | uniq -c | sort -rn | head -5 >&2 || true
