#!/usr/bin/env bash
# Idle connections: N authenticated WebSocket connections held by one node with a 1 GiB heap, from
# several 127.0.0.x source addresses, kept alive by heartbeats; reports connections held, heap and
# resident memory per connection. Starts its own node (embedded PostgreSQL and Redis in a fresh data
# folder); the connections come from a separate JVM.
# Environment: CONNECTIONS (19000: each process here may hold at most `ulimit -Hn` files),
# SOURCES (4 source addresses), HOLD_SECONDS (60), HEAP (1g), PORT (18091), HISTOGRAM (false: true
# prints the node's heap growth by class).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PORT:-18091}"
WORK="$(mktemp -d)"
NODE_PID=""
cleanup() {
  [[ -n "$NODE_PID" ]] && kill -TERM "$NODE_PID" 2>/dev/null && while kill -0 "$NODE_PID" 2>/dev/null; do sleep 0.1; done
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/parley" build
"$ROOT/mvnw" -B -q -DskipTests -f "$ROOT/pom.xml" install -pl perf >/dev/null

ulimit -n "$(ulimit -Hn)"
echo "open-file limit per process: $(ulimit -n)" >&2
PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:--Xmx${HEAP:-1g} -Xms${HEAP:-1g}}" \
PARLEY_ACCOUNTS_VERIFICATION_SENDER=file \
PARLEY_LIMITS_IP_PER_SECOND=100000 PARLEY_LIMITS_IP_BURST=1000000 \
PARLEY_LIMITS_USER_PER_SECOND=100000 PARLEY_LIMITS_USER_BURST=1000000 \
  "$ROOT/parley" start --data "$WORK/data" --port "$PORT" >"$WORK/node.log" 2>&1 &
NODE_PID=$!
until grep -q "Parley ready on" "$WORK/node.log"; do
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; exit 1; }
  sleep 0.1
done

java -Xmx4g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.IdleConnections \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" --node-pid "$NODE_PID" \
  --connections "${CONNECTIONS:-19000}" --sources "${SOURCES:-4}" --hold-seconds "${HOLD_SECONDS:-60}" \
  --histogram "${HISTOGRAM:-false}"
grep -E "WARN|ERROR" "$WORK/node.log" | sort | uniq -c | sort -rn | head -5 >&2 || true
