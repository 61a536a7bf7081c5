#!/usr/bin/env bash
# Media throughput: upload and download (MiB/s) of one blob through a node of its own with the local
# store, next to Files.copy of the same bytes on the same disk, in the same run (the client runs in a
# separate JVM; the file sits in the node's data folder's disk). Environment: MEGABYTES (64), ROUNDS (3),
# PORT (18092).
set -euo pipefail
PORT="${PORT:-18092}"
source "$(dirname "${BASH_SOURCE[0]}")/../bench-node.sh"

export PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS:--Xmx1g}"
export PARLEY_MEDIA_MAX_MEGABYTES_VIDEO="${PARLEY_MEDIA_MAX_MEGABYTES_VIDEO:-1024}"
# Any free TURN port: the benchmark does not relay, and 3478 may be taken on a shared machine.
export PARLEY_TURN_PORT="${PARLEY_TURN_PORT:-0}"
start_bench_node "$PORT"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m -cp "$ROOT/perf/target/parley-perf.jar" io.parley.perf.MediaBench \
  --server "http://127.0.0.1:$PORT" --codes "$WORK/data/verification-codes.txt" --folder "$WORK" \
  --megabytes "${MEGABYTES:-64}" --rounds "${ROUNDS:-3}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
grep -E "WARN|ERROR" "$WORK/node.log" | tail -5 >&2 || true
