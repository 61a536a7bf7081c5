#!/usr/bin/env bash
# End-to-end encryption: PQXDH session set-up cost, encrypt+send and receive+decrypt messages/s
# (wall time and per client CPU-second) through a node of its own (embedded PostgreSQL and Redis
# in a fresh data folder); the clients run in a separate JVM. Environment: MESSAGES (20000),
# SETUPS (50 new sessions), PORT (18091).
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

PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:--Xmx1g}" \
PARLEY_ACCOUNTS_VERIFICATION_SENDER=file \
PARLEY_LIMITS_IP_PER_SECOND=100000 PARLEY_LIMITS_IP_BURST=1000000 \
PARLEY_LIMITS_USER_PER_SECOND=100000 PARLEY_LIMITS_USER_BURST=1000000 \
  "$ROOT/parley" start --data "$WORK/data" --port "$PORT" >"$WORK/node.log" 2>&1 &
NODE_PID=$!
until grep -q "Parley ready on" "$WORK/node.log"; do
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; exit 1; }
  sleep 0.1
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.SignalBench \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" \
  --messages "${MESSAGES:-20000}" --setups "${SETUPS:-50}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
