#!/usr/bin/env bash
# Call set-up: offer->ringing and offer->accepted latency (p50/p99) and call set-ups per second,
# caller/callee pairs each placing calls one after the other (offer, ring, accept, hang-up). Starts
# its own node (embedded PostgreSQL and Redis in a fresh data folder); the load runs in a separate
# JVM. Environment: PAIRS (20), ROUNDS (50), PORT (18092).
set -euo pipefail
PORT="${PORT:-18092}"
source "$(dirname "${BASH_SOURCE[0]}")/../bench-node.sh"

ulimit -n 65536 2>/dev/null || true
# Calls need no TURN here; any free port keeps the node clear of another TURN server on 3478.
export PARLEY_TURN_PORT="${PARLEY_TURN_PORT:-0}"
start_bench_node "$PORT"

java -Xmx1g -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.CallSetupLoad \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" \
  --pairs "${PAIRS:-20}" --rounds "${ROUNDS:-50}"
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
