#!/usr/bin/env bash
# TURN relay, side by side in one run: Parley's TURN server (turn-server's TurnMain) and coturn's
# turnserver, each driven by the same turnutils_uclient load (REST credentials, channels, UDP) to a
# turnutils_peer on loopback. Per server: relayed packets/s, CPU µs per packet and packets per CPU
# second (utime+stime of the server process from /proc, JIT and GC included), loss; then one-way
# relay latency through a channel (TurnBench latency) and, for Parley, 10,000 live allocations with
# the heap after a full GC (the JVM capped at 256 MiB). Final line: JSON.
# Environment: CLIENTS (50), MESSAGES (2000), LENGTH (200), INTERVAL_MS (1), THREADS (1: Parley's
# event loops), COTURN_THREADS (1: coturn's relay threads), RATE (4000 probe packets/s),
# ALLOCATIONS (10000), ROUNDS (2), WARMUP_ROUNDS (3), BASE_PORT (34870), RECV_BATCH (16: datagrams per recvmmsg;
# 1 turns batching off).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLIENTS="${CLIENTS:-50}"; MESSAGES="${MESSAGES:-2000}"; LENGTH="${LENGTH:-200}"; INTERVAL_MS="${INTERVAL_MS:-1}"
THREADS="${THREADS:-1}"; COTURN_THREADS="${COTURN_THREADS:-1}"; RATE="${RATE:-4000}"; ALLOCATIONS="${ALLOCATIONS:-10000}"
BASE_PORT="${BASE_PORT:-34870}"; RECV_BATCH="${RECV_BATCH:-16}"
PARLEY_PORT=$BASE_PORT; COTURN_PORT=$((BASE_PORT + 1)); PEER_PORT=$((BASE_PORT + 2))
SECRET="parley-bench-turn-secret"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v turnserver >/dev/null && command -v turnutils_uclient >/dev/null \
  || { echo "turn bench: coturn is missing (apt-get install -y coturn)" >&2; exit 1; }

"$ROOT/mvnw" -B -q -DskipTests -f "$ROOT/pom.xml" install -pl turn-server -am >/dev/null
"$ROOT/mvnw" -B -q -f "$ROOT/turn-server/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$ROOT/turn-server/target/classes:$(cat "$WORK/cp.txt")"
ulimit -n 20000 2>/dev/null || true

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

turnutils_peer -p "$PEER_PORT" -L 127.0.0.1 >"$WORK/peer.log" 2>&1 &
PIDS+=($!)

java -Xmx256m -Xms256m -cp "$CP" io.parley.turn.TurnMain --port "$PARLEY_PORT" --secret "$SECRET" \
  --threads "$THREADS" --recv-batch "$RECV_BATCH" --relay-ports 10000-32000 --allocations-per-user 100000 >"$WORK/parley.log" 2>&1 &
PARLEY_PID=$!; PIDS+=($PARLEY_PID)
turnserver -n --no-cli --no-tls --no-dtls -L 127.0.0.1 --relay-ip 127.0.0.1 -p "$COTURN_PORT" \
  --use-auth-secret --static-auth-secret "$SECRET" --realm parley --allow-loopback-peers \
  --relay-threads "$COTURN_THREADS" --min-port 40000 --max-port 49000 \
  --log-file "$WORK/coturn.log" --simple-log --no-stdout-log >/dev/null 2>&1 &
COTURN_PID=$!; PIDS+=($COTURN_PID)
until grep -q "TURN ready on" "$WORK/parley.log"; do
  kill -0 "$PARLEY_PID" 2>/dev/null || { cat "$WORK/parley.log" >&2; exit 1; }
  sleep 0.1
done

# One uclient load against port $1; prints "sent received lost wall_seconds cpu_ticks" of server pid $2.
load() {
  local port=$1 pid=$2 out="$WORK/uclient-$1.log" t0 t1 c0 c1
  c0=$(cpu_ticks "$pid"); t0=$(date +%s%N)
  timeout 300 turnutils_uclient -c -m "$CLIENTS" -n "$MESSAGES" -l "$LENGTH" -z "$INTERVAL_MS" -p "$port" \
    -e 127.0.0.1 -r "$PEER_PORT" -u bench -W "$SECRET" 127.0.0.1 >"$out" 2>&1 || true
  t1=$(date +%s%N); c1=$(cpu_ticks "$pid")
  local totals lost
  totals=$(grep -o 'tot_send_msgs=[0-9]*, tot_recv_msgs=[0-9]*' "$out" | tail -1 | tr -dc '0-9 ,' | tr ',' ' ')
  lost=$(grep -o 'Total lost packets [0-9]*' "$out" | tail -1 | awk '{print $4}')
  # A round that ended without its totals (uclient failed or was cut off) must not enter the sums.
  if [[ -z "$totals" || -z "$lost" ]]; then
    echo "turn: uclient against port $1 reported no totals; its last lines:" >&2
    tail -n 15 "$out" >&2
    exit 1
  fi
  echo "$totals $lost $(( (t1 - t0) / 1000000 )) $(( c1 - c0 ))"
}

# Warm-up rounds (JIT for Parley: after one round its compiler threads still took 8-10 % of its CPU
# in the next; after five, under 2 %; the same rounds for coturn so both see the same history), then
# ROUNDS measured rounds alternating between the servers, summed (alternation spreads the host's noise).
for _ in $(seq 1 "${WARMUP_ROUNDS:-3}"); do
  load "$PARLEY_PORT" "$PARLEY_PID" >/dev/null; load "$COTURN_PORT" "$COTURN_PID" >/dev/null
done
p_sent=0; p_recv=0; p_lost=0; p_ms=0; p_ticks=0; c_sent=0; c_recv=0; c_lost=0; c_ms=0; c_ticks=0
for round in $(seq 1 "${ROUNDS:-2}"); do
  round_out=$(load "$PARLEY_PORT" "$PARLEY_PID") || exit 1
  read -r a b c d e <<<"$round_out"
  p_sent=$((p_sent + a)); p_recv=$((p_recv + b)); p_lost=$((p_lost + c)); p_ms=$((p_ms + d)); p_ticks=$((p_ticks + e))
  round_out=$(load "$COTURN_PORT" "$COTURN_PID") || exit 1
  read -r a b c d e <<<"$round_out"
  c_sent=$((c_sent + a)); c_recv=$((c_recv + b)); c_lost=$((c_lost + c)); c_ms=$((c_ms + d)); c_ticks=$((c_ticks + e))
done
load_avg=$(cut -d' ' -f1-3 /proc/loadavg)

# Each echoed message is relayed twice: client -> peer and peer -> client.
figures() { # sent recv lost ms ticks
  awk -v s="$1" -v r="$2" -v l="$3" -v ms="$4" -v t="$5" -v hz="$ticks_per_second" 'BEGIN {
    relayed = 2 * r; cpu = t / hz; if (cpu <= 0) cpu = 1 / hz;
    printf "{\"sent\":%d,\"received\":%d,\"lost\":%d,\"relayed_packets\":%d,\"seconds\":%.2f,\"packets_per_second\":%.0f,\"cpu_seconds\":%.2f,\"cpu_us_per_packet\":%.2f,\"packets_per_cpu_second\":%.0f}",
      s, r, l, relayed, ms / 1000, relayed / (ms / 1000), cpu, cpu * 1e6 / relayed, relayed / cpu }'
}
parley_json=$(figures "$p_sent" "$p_recv" "$p_lost" "$p_ms" "$p_ticks")
coturn_json=$(figures "$c_sent" "$c_recv" "$c_lost" "$c_ms" "$c_ticks")
ratio=$(awk -v pr="$p_recv" -v pt="$p_ticks" -v cr="$c_recv" -v ct="$c_ticks" \
  'BEGIN { if (pt <= 0) pt = 1; if (ct <= 0) ct = 1; printf "%.2f", (pr / pt) / (cr / ct) }')

probe() {
  java -Xmx512m -cp "$CP" io.parley.turn.TurnBench "$@" 2>"$WORK/probe.err" | tail -1
  local rc=${PIPESTATUS[0]}
  [[ $rc -eq 0 ]] || grep -E 'Exception|refused' "$WORK/probe.err" | head -2 >&2
  return "$rc"
}
probe latency --server "127.0.0.1:$PARLEY_PORT" --secret "$SECRET" --packets 5000 --rate "$RATE" >/dev/null || true
parley_latency=$(probe latency --server "127.0.0.1:$PARLEY_PORT" --secret "$SECRET" --packets 20000 --rate "$RATE" \
  || echo '{"error":"latency probe failed"}')
coturn_latency=$(probe latency --server "127.0.0.1:$COTURN_PORT" --secret "$SECRET" --packets 20000 --rate "$RATE" \
  || echo '{"error":"latency probe failed"}')
allocations=$(probe allocations --server "127.0.0.1:$PARLEY_PORT" --secret "$SECRET" --count "$ALLOCATIONS" \
  --server-pid "$PARLEY_PID" || echo '{"error":"allocation probe failed"}')
grep -E "WARN|ERROR" "$WORK/parley.log" | tail -5 >&2 || true

echo "{\"scenario\":\"turn\",\"load\":{\"clients\":$CLIENTS,\"messages_per_client\":$MESSAGES,\"length\":$LENGTH,\"interval_ms\":$INTERVAL_MS,\"parley_threads\":$THREADS,\"parley_recv_batch\":$RECV_BATCH,\"coturn_relay_threads\":$COTURN_THREADS},\"loadavg\":\"$load_avg\",\"parley\":$parley_json,\"coturn\":$coturn_json,\"parley_over_coturn_packets_per_cpu_second\":$ratio,\"latency\":{\"parley\":$parley_latency,\"coturn\":$coturn_latency},\"parley_allocations\":$allocations}"
