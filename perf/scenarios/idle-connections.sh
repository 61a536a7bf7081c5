#!/usr/bin/env bash
# Idle connections: N authenticated WebSocket connections held by one node with a 1 GiB heap, from
# several 127.0.0.x source addresses, kept alive by heartbeats; reports connections held, heap and
# resident memory per connection. Starts its own node (embedded PostgreSQL and Redis in a fresh data
# folder); the connections come from a separate JVM.
# Environment: CONNECTIONS (19000: each process here may hold at most `ulimit -Hn` files),
# SOURCES (4 source addresses), HOLD_SECONDS (60), HEAP (1g), PORT (18091), HISTOGRAM (false: true
# prints the node's heap growth by class).
set -euo pipefail
PORT="${PORT:-18091}"
source "$(dirname "${BASH_SOURCE[0]}")/../bench-node.sh"

ulimit -n "$(ulimit -Hn)"
echo "open-file limit per process: $(ulimit -n)" >&2
export PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:--Xmx${HEAP:-1g} -Xms${HEAP:-1g}}"
start_bench_node "$PORT"

java -Xmx4g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.IdleConnections \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" --node-pid "$NODE_PID" \
  --connections "${CONNECTIONS:-19000}" --sources "${SOURCES:-4}" --hold-seconds "${HOLD_SECONDS:-60}" \
  --histogram "${HISTOGRAM:-false}"
grep -E "WARN|ERROR" "$WORK/node.log" | sort | uniq -c | sort -rn | head -5 >&2 || true
