# Sourced by the scenarios in scenarios/: builds the node and perf, and starts a benchmark node
# on its own fresh data folder (embedded PostgreSQL and Redis, file verification codes, rate
# limits raised), stopped with SIGTERM when the scenario exits. After start_bench_node PORT:
# ROOT, WORK (scratch folder), NODE_PID, NODE_PORT (the port it listens on: PORT 0 takes any free
# one), PG_PORT and PG_PID (its embedded PostgreSQL), and the codes file at
# $WORK/data/verification-codes.txt.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
NODE_PID=""
stop_bench_node() {
  local status=$?
  # A failed scenario shows the node's side of it: its log goes with the scratch folder.
  if [[ $status -ne 0 && -f "$WORK/node.log" ]]; then
    echo "bench: the scenario failed ($status); the node's last warnings and errors:" >&2
    grep -E "WARN|ERROR|Exception" "$WORK/node.log" | tail -n 20 >&2 || true
  fi
  [[ -n "$NODE_PID" ]] && kill -TERM "$NODE_PID" 2>/dev/null && while kill -0 "$NODE_PID" 2>/dev/null; do sleep 0.1; done
  # The whole log of the last run stays, to read after a surprise.
  cp "$WORK/node.log" "$ROOT/perf/target/last-node.log" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop_bench_node EXIT

# start_bench_node PORT: PARLEY_JAVA_OPTS (default -Xmx2g) and any PARLEY_* variable pass through.
start_bench_node() {
  "$ROOT/parley" build
  "$ROOT/mvnw" -B -q -DskipTests -f "$ROOT/pom.xml" install -pl perf >/dev/null
  PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:--Xmx2g}" \
  PARLEY_ACCOUNTS_VERIFICATION_SENDER=file PARLEY_TURN_PORT="${PARLEY_TURN_PORT:-0}" \
  PARLEY_LIMITS_IP_PER_SECOND=100000 PARLEY_LIMITS_IP_BURST=1000000 \
  PARLEY_LIMITS_USER_PER_SECOND=100000 PARLEY_LIMITS_USER_BURST=1000000 \
    "$ROOT/parley" start --data "$WORK/data" --port "$1" >"$WORK/node.log" 2>&1 &
  NODE_PID=$!
  until grep -q "Parley ready on" "$WORK/node.log"; do
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; exit 1; }
    sleep 0.1
  done
  NODE_PORT=$(sed -n 's/.*Parley ready on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$WORK/node.log" | head -1)
  PG_PORT=$(sed -n 4p "$WORK/data/postgres/postmaster.pid")
  PG_PID=$(sed -n 1p "$WORK/data/postgres/postmaster.pid")
}
