#!/usr/bin/env bash
# Groups: one group of MEMBERS (1024) members, one device each, all online; SENDS (50) group
# messages one after the other, each timed from the send call to the last member device that
# decrypted it; then the server's work per fan-out read from PostgreSQL. Starts its own node
# (embedded PostgreSQL and Redis in a fresh data folder); the clients run in a separate JVM.
# Environment: MEMBERS (1024), SENDS (50), WARMUP (60 unmeasured sends before them, while the JVMs
# compile),
# PORT (0: any free port), LOAD_JAVA_OPTS (the clients' JVM options, -Xmx3g).
set -euo pipefail
PORT="${PORT:-0}"
source "$(dirname "${BASH_SOURCE[0]}")/../bench-node.sh"

ulimit -n 65536 2>/dev/null || true
start_bench_node "$PORT"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
java ${LOAD_JAVA_OPTS:--Xmx3g} -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.GroupsLoad \
  --server "http://127.0.0.1:$NODE_PORT" --codes "$WORK/data/verification-codes.txt" \
  --postgres "postgresql://postgres:postgres@127.0.0.1:$PG_PORT/postgres" \
  --cpu-pids "$NODE_PID,$PG_PID" --members "${MEMBERS:-1024}" --sends "${SENDS:-50}" --warmup "${WARMUP:-60}"
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
