#!/usr/bin/env bash
# Groups: one group of MEMBERS (1024) members, one device each, all online; SENDS (50) group
# messages one after the other, each timed from the send call to the last member device that
# decrypted it; then the server's work per fan-out read from PostgreSQL. Starts its own node
# (embedded PostgreSQL and Redis in a fresh data folder); the clients run in a separate JVM.
# Environment: MEMBERS (1024), SENDS (50), RECEIPTS (true: members send delivered receipts),
# PORT (0: any free port).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PORT:-0}"
WORK="$(mktemp -d)"
NODE_PID=""
cleanup() {
  [[ -n "$NODE_PID" ]] && kill -TERM "$NODE_PID" 2>/dev/null && while kill -0 "$NODE_PID" 2>/dev/null; do sleep 0.1; done
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/parley" build
"$ROOT/mvnw" -B -q -DskipTests -f "$ROOT/pom.xml" install -pl perf -am >/dev/null

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
PG_PORT=$(sed -n 4p "$WORK/data/postgres/postmaster.pid")
PG_PID=$(sed -n 1p "$WORK/data/postgres/postmaster.pid")
PORT=$(sed -n 's/.*Parley ready on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$WORK/node.log" | head -1)

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
java -Xmx3g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.GroupsLoad \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" \
  --postgres "postgresql://postgres:postgres@127.0.0.1:$PG_PORT/postgres" \
  --cpu-pids "$NODE_PID,$PG_PID" --members "${MEMBERS:-1024}" --sends "${SENDS:-50}" --receipts "${RECEIPTS:-true}"
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
