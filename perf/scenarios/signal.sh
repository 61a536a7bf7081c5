#!/usr/bin/env bash
# End-to-end encryption: PQXDH session set-up cost, encrypt+send and receive+decrypt messages/s
# (wall time and per client CPU-second) through a node of its own (embedded PostgreSQL and Redis
# in a fresh data folder); the clients run in a separate JVM. Environment: MESSAGES (20000),
# SETUPS (50 new sessions), PIPELINE (1 send in flight; the recipient is offline while they are sent,
# so more is safe here), PORT (18091).
set -euo pipefail
PORT="${PORT:-18091}"
source "$(dirname "${BASH_SOURCE[0]}")/../bench-node.sh"

export PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:--Xmx1g}"
start_bench_node "$PORT"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.SignalBench \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" \
  --messages "${MESSAGES:-20000}" --setups "${SETUPS:-50}" --pipeline "${PIPELINE:-1}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
