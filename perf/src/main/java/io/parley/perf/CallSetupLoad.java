package io.parley.perf;

import io.parley.bus.Ids;
import io.parley.client.Calls;
import io.parley.client.ParleyClient;
import io.parley.client.ServerAddress;
import io.parley.proto.CallEvent;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Call set-up through real connections: P caller/callee pairs, each placing R calls one after the
 * other. Per call: offer → the callee's device rings (INCOMING), the callee accepts at once →
 * the caller is told ACCEPTED, then hangs up and waits for the callee's ENDED before the next.
 * Reports offer→ringing and offer→accepted latency (p50, p99, max) and calls set up per second.
 * Prints figures and a final JSON line.
 */
public final class CallSetupLoad {
    private static final long CALL_TIMEOUT_S = 30;

    /** One pair's state; the promises are replaced at each call. */
    private static final class Pair {
        final Calls caller;
        final Calls callee;
        final UUID calleeId;
        final AtomicReference<Promise<Void>> accepted = new AtomicReference<>();
        final AtomicReference<Promise<Void>> ended = new AtomicReference<>();
        volatile long offeredAt;

        Pair(Calls caller, Calls callee, UUID calleeId) {
            this.caller = caller;
            this.callee = callee;
            this.calleeId = calleeId;
        }
    }

    public static void main(String[] args) {
        try {
            run(options(args));
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Map<String, String> o) throws Exception {
        int pairs = Integer.parseInt(o.getOrDefault("pairs", "20"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "50"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ServerAddress server = ServerAddress.parse(o.getOrDefault("server", "http://127.0.0.1:8080"));
        BenchNode node = new BenchNode(vertx, server, Path.of(o.get("codes")));
        long tag = System.currentTimeMillis() % 1_000_000;
        List<DeviceCredentials> callers = node.register("clr" + tag, pairs);
        List<DeviceCredentials> callees = node.register("cle" + tag, pairs);
        Recorder ringing = new Recorder(3);
        Recorder answered = new Recorder(3);

        List<Pair> all = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            ParleyClient callerClient = ParleyClient.create(vertx, server, callers.get(i));
            ParleyClient calleeClient = ParleyClient.create(vertx, server, callees.get(i));
            Pair pair = new Pair(new Calls(callerClient), new Calls(calleeClient), Ids.uuid(callees.get(i).getUserId(), "user_id"));
            pair.callee.onIncoming(e -> {
                ringing.recordValue(Math.max(0, (System.nanoTime() - pair.offeredAt) / 1_000));
                pair.callee.accept(Calls.id(e.getCallId()));
            }).onEvent(e -> {
                if (e.getKind() == CallEvent.Kind.ENDED) {
                    pair.ended.get().tryComplete();
                }
            });
            pair.caller.onEvent(e -> {
                if (e.getKind() == CallEvent.Kind.ACCEPTED) {
                    answered.recordValue(Math.max(0, (System.nanoTime() - pair.offeredAt) / 1_000));
                    pair.accepted.get().tryComplete();
                }
            });
            await(Future.all(callerClient.connect(), calleeClient.connect()));
            all.add(pair);
        }

        long began = System.nanoTime();
        List<Future<Void>> loops = all.stream().map(p -> loop(p, rounds)).toList();
        await(Future.all(loops), TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_S) * rounds);
        double seconds = (System.nanoTime() - began) / 1e9;
        long calls = (long) pairs * rounds;
        Histogram ring = ringing.getIntervalHistogram();
        Histogram answer = answered.getIntervalHistogram();
        System.out.printf("%d calls (%d pairs x %d) in %.1f s: %.0f call set-ups/s (offer, ring, accept, hang-up)%n",
                calls, pairs, rounds, seconds, calls / seconds);
        System.out.printf("offer->ringing p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", ms(ring, 50), ms(ring, 99),
                ms(ring, 100));
        System.out.printf("offer->accepted p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", ms(answer, 50), ms(answer, 99),
                ms(answer, 100));
        System.out.printf("{\"scenario\":\"calls\",\"pairs\":%d,\"rounds\":%d,\"calls\":%d,\"setups_per_s\":%.0f,"
                        + "\"ringing_p50_ms\":%.2f,\"ringing_p99_ms\":%.2f,\"accepted_p50_ms\":%.2f,\"accepted_p99_ms\":%.2f}%n",
                pairs, rounds, ring.getTotalCount(), calls / seconds, ms(ring, 50), ms(ring, 99), ms(answer, 50),
                ms(answer, 99));
        vertx.close();
    }

    /** Places the pair's calls one after the other: offer, wait for the answer, hang up, wait for the end. */
    private static Future<Void> loop(Pair p, int remaining) {
        if (remaining == 0) {
            return Future.succeededFuture();
        }
        Promise<Void> accepted = Promise.promise();
        Promise<Void> ended = Promise.promise();
        p.accepted.set(accepted);
        p.ended.set(ended);
        p.offeredAt = System.nanoTime();
        return p.caller.offer(p.calleeId, false).compose(offered -> {
            if (offered.getBusy()) {
                return Future.failedFuture("callee busy: the previous call did not end");
            }
            UUID call = Calls.id(offered.getCallId());
            return accepted.future().compose(v -> p.caller.hangUp(call)).compose(v -> ended.future());
        }).compose(v -> loop(p, remaining - 1));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return await(future, TimeUnit.SECONDS.toMillis(120));
    }

    private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return m;
    }
}
