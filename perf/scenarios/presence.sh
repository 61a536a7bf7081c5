#!/usr/bin/env bash
# Receipts, typing and presence: stored read receipts/s and receipt->sender latency, typing relay
# latency (ping-pong), and the time one user's online/offline change takes to reach every one of
# its subscribers. Starts its own node (embedded PostgreSQL and Redis in a fresh data folder); the
# load runs in a separate JVM. Environment: PAIRS (50), WINDOW (8), SECONDS_PER_PHASE (10),
# SUBSCRIBERS (500), ROUNDS (10), PORT (18091).
set -euo pipefail
PORT="${PORT:-18091}"
source "$(dirname "${BASH_SOURCE[0]}")/../bench-node.sh"

ulimit -n 65536 2>/dev/null || true
start_bench_node "$PORT"

java -Xmx2g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.PresenceLoad \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" \
  --pairs "${PAIRS:-50}" --window "${WINDOW:-8}" --seconds "${SECONDS_PER_PHASE:-10}" \
  --subscribers "${SUBSCRIBERS:-500}" --rounds "${ROUNDS:-10}"
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
