#!/usr/bin/env bash
# 1:1 messaging: persisted messages/s at max, send->deliver latency at half that rate, the raw
# batched INSERT ceiling of the same PostgreSQL, and a reconnect storm. Starts its own node
# (embedded PostgreSQL and Redis in a fresh data folder); the load runs in a separate JVM.
# Environment: PAIRS (100), WINDOW (8 sends in flight per pair), SECONDS (20), STORM_DEVICES (10000),
# STORM_MESSAGES (10), PORT (18090).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PORT:-18090}"
WORK="$(mktemp -d)"
NODE_PID=""
cleanup() {
  [[ -n "$NODE_PID" ]] && kill -TERM "$NODE_PID" 2>/dev/null && while kill -0 "$NODE_PID" 2>/dev/null; do sleep 0.1; done
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/parley" build
"$ROOT/mvnw" -B -q -DskipTests -f "$ROOT/pom.xml" install -pl perf >/dev/null

ulimit -n 65536 2>/dev/null || true
PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:--Xmx2g}" \
PARLEY_ACCOUNTS_VERIFICATION_SENDER=file \
PARLEY_LIMITS_IP_PER_SECOND=100000 PARLEY_LIMITS_IP_BURST=1000000 \
PARLEY_LIMITS_USER_PER_SECOND=100000 PARLEY_LIMITS_USER_BURST=1000000 \
PARLEY_POSTGRES_POOL_SIZE="${POOL:-8}" \
  "$ROOT/parley" start --data "$WORK/data" --port "$PORT" >"$WORK/node.log" 2>&1 &
NODE_PID=$!
until grep -q "Parley ready on" "$WORK/node.log"; do
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; exit 1; }
  sleep 0.1
done
PG_PORT=$(sed -n 4p "$WORK/data/postgres/postmaster.pid")

java -Xmx3g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.MessagingLoad \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" \
  --postgres "postgresql://postgres:postgres@127.0.0.1:$PG_PORT/postgres" \
  --pairs "${PAIRS:-100}" --window "${WINDOW:-8}" --seconds "${SECONDS_PER_PHASE:-20}" \
  --storm-devices "${STORM_DEVICES:-10000}" --storm-messages "${STORM_MESSAGES:-10}"
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
