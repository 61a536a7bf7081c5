#!/usr/bin/env bash
# Receipts, typing and presence: stored read receipts/s and receipt->sender latency, typing relay
# latency (ping-pong), and the time one user's online/offline change takes to reach every one of
# its subscribers. Starts its own node (embedded PostgreSQL and Redis in a fresh data folder); the
# load runs in a separate JVM. Environment: PAIRS (50), WINDOW (8), SECONDS_PER_PHASE (10),
# SUBSCRIBERS (500), ROUNDS (10), PORT (18091).
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

ulimit -n 65536 2>/dev/null || true
PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:--Xmx2g}" \
PARLEY_ACCOUNTS_VERIFICATION_SENDER=file \
PARLEY_LIMITS_IP_PER_SECOND=100000 PARLEY_LIMITS_IP_BURST=1000000 \
PARLEY_LIMITS_USER_PER_SECOND=100000 PARLEY_LIMITS_USER_BURST=1000000 \
  "$ROOT/parley" start --data "$WORK/data" --port "$PORT" >"$WORK/node.log" 2>&1 &
NODE_PID=$!
until grep -q "Parley ready on" "$WORK/node.log"; do
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; exit 1; }
  sleep 0.1
done

java -Xmx2g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.PresenceLoad \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" \
  --pairs "${PAIRS:-50}" --window "${WINDOW:-8}" --seconds "${SECONDS_PER_PHASE:-10}" \
  --subscribers "${SUBSCRIBERS:-500}" --rounds "${ROUNDS:-10}"
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
