#!/usr/bin/env bash
# 1:1 messaging: persisted messages/s at max, send->deliver latency at half that rate, the raw
# batched INSERT ceiling of the same PostgreSQL, and a reconnect storm. Starts its own node
# (embedded PostgreSQL and Redis in a fresh data folder); the load runs in a separate JVM.
# Environment: PAIRS (100), WINDOW (8 sends in flight per pair), SECONDS (20), STORM_DEVICES (10000),
# STORM_MESSAGES (10), WARMUP (30 s of load before the measured phases: the JVMs compile for ~40 s),
# PORT (18090), PLOT (a PNG path: also run at 10-90 % of the max and plot
# latency against load), LOAD_JAVA_OPTS (the load generator's JVM options, -Xmx3g).
set -euo pipefail
PORT="${PORT:-18090}"
source "$(dirname "${BASH_SOURCE[0]}")/../bench-node.sh"

ulimit -n 65536 2>/dev/null || true
export PARLEY_POSTGRES_POOL_SIZE="${POOL:-8}"
start_bench_node "$PORT"

java ${LOAD_JAVA_OPTS:--Xmx3g} -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.MessagingLoad \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" \
  --postgres "postgresql://postgres:postgres@127.0.0.1:$PG_PORT/postgres" \
  --pairs "${PAIRS:-100}" --window "${WINDOW:-8}" --seconds "${SECONDS_PER_PHASE:-20}" --warmup "${WARMUP:-30}" \
  --cpu-pids "$NODE_PID,$PG_PID" --storm-devices "${STORM_DEVICES:-10000}" --storm-messages "${STORM_MESSAGES:-10}" \
  ${PLOT:+--plot "$PLOT"}
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
