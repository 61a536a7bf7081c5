#!/usr/bin/env bash
# The browser client: the Signal protocol benchmark (encrypt/decrypt msg/s, ratchet steps, sender
# keys, PQXDH set-ups) in headless Chromium next to the same scenarios on the Java libsignal
# 0.86.5 in this JVM, time to first paint of the app served by a node of its own, and the size of
# the built bundle. Environment: BENCH_MESSAGES (5000 per run), JAVA (1: also run the Java side),
# PORT (18095).
set -euo pipefail
PORT="${PORT:-18095}"
source "$(dirname "${BASH_SOURCE[0]}")/../bench-node.sh"

start_bench_node "$PORT"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$ROOT/web-client" && BENCH_MESSAGES="${BENCH_MESSAGES:-5000}" node --import tsx browser/bench.ts --url "http://127.0.0.1:$PORT/")
if [[ "${JAVA:-1}" == "1" ]]; then
  "$ROOT/mvnw" -B -q -f "$ROOT/web-client/pom.xml" test -Dtest=JavaLibsignalBench -Dbench=true \
    -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
  cat "$ROOT/web-client/target/surefire-reports/io.parley.web.interop.JavaLibsignalBench-output.txt"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
