package io.parley.perf;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.client.ServerAddress;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Request;
import io.parley.proto.SendMessageRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * 1:1 messaging load through real connections: N sender/recipient pairs, each sender keeping a
 * window of sends in flight. Phase 1 finds the most persisted ("sent") messages per second;
 * phase 2 runs at half that rate and records send→deliver latency (both ends in this JVM, so one
 * clock). Each phase counts only its own messages and ends when all of them have arrived, so no
 * phase inherits the backlog of the one before. Then the raw batched INSERT ceiling of the same PostgreSQL ({@link RawInsertCeiling}),
 * and a reconnect storm ({@link ReconnectStorm}). Prints figures and a final JSON line.
 */
public final class MessagingLoad {
    private static final int PAYLOAD_BYTES = 160;
    private static final int DRAIN_LIMIT_S = 60;
    private static final long SETTLE_S = 2;

    private final Vertx vertx;
    private final List<Pair> pairs = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong tickets = new AtomicLong();
    private final Recorder latency = new Recorder(3);
    private volatile int phase;
    private volatile long recordFrom;
    private volatile double ratePerPair;
    private CpuMeter cpu;
    /** CPU µs per message of the last phase, by process (java = the node, load = this JVM). */
    private java.util.Map<String, Double> cpuPerMessage = java.util.Map.of();

    private record Pair(ParleyClient sender, UUID recipient) {
    }

    private MessagingLoad(Vertx vertx) {
        this.vertx = vertx;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // A failed run must end the JVM (its clients' threads would keep it alive) and say why.
            System.err.println("messaging benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Options o = Options.parse(args);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ServerAddress server = ServerAddress.parse(o.server());
        BenchNode node = new BenchNode(vertx, server, Path.of(o.codeFile()));
        MessagingLoad load = new MessagingLoad(vertx);
        load.cpu = CpuMeter.ofOption(o.cpuPids());
        long tag = System.currentTimeMillis() % 1_000_000;
        List<DeviceCredentials> senders = node.register("snd" + tag, o.pairs());
        List<DeviceCredentials> recipients = node.register("rcv" + tag, o.pairs());
        for (int i = 0; i < o.pairs(); i++) {
            load.connect(server, senders.get(i), recipients.get(i));
        }

        load.run(o.warmupSeconds(), 0, o.window());
        double[] top = load.run(o.seconds(), 0, o.window());
        double max = top[0];
        java.util.Map<String, Double> cpuAtMax = load.cpuPerMessage;
        double[] half = load.run(o.seconds(), max / 2, o.window());
        java.util.Map<String, Double> cpuAtHalf = load.cpuPerMessage;
        if (o.plot() != null) {
            load.curve(max, o.seconds(), o.window(), Path.of(o.plot()));
        }
        RawInsertCeiling.Result ceiling = RawInsertCeiling.measure(o.postgresUrl(), o.seconds());
        ReconnectStorm.Result storm = o.stormDevices() > 0
                ? ReconnectStorm.run(vertx, server, node, o.stormDevices(), o.stormMessages()) : null;

        System.out.printf("persisted messages/s at max: %.0f (window %d per pair, %d pairs); delivered %.0f/s, the last %.1f s"
                + " after sending stopped%n", max, o.window(), o.pairs(), top[5], top[6]);
        System.out.printf("at half rate %.0f/s: send->deliver p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                half[0], half[1], half[2], half[3], half[4]);
        if (load.cpu != null) {
            System.out.println("CPU per message at max: " + CpuMeter.describe(cpuAtMax) + " (java: the node; load: this generator)");
            System.out.println("CPU per message at half rate: " + CpuMeter.describe(cpuAtHalf));
        }
        System.out.printf("raw batched INSERT ceiling: %.0f rows/s (batches of %d, %d connections); ratio %.2f%n",
                ceiling.rowsPerSecond(), RawInsertCeiling.BATCH, RawInsertCeiling.CONNECTIONS, max / ceiling.rowsPerSecond());
        System.out.printf("message-shaped ceiling: %.0f messages/s (a sent_messages row, an inbox row and its deletion each,"
                + " same batches); ratio %.2f%n", ceiling.messagesPerSecond(), max / ceiling.messagesPerSecond());
        if (storm != null) {
            System.out.printf("reconnect storm: %d devices x %d queued messages drained in %.1f s%n",
                    storm.devices(), storm.messagesEach(), storm.seconds());
        }
        System.out.printf("{\"scenario\":\"messaging\",\"pairs\":%d,\"window\":%d,\"max_persisted_per_s\":%.0f,\"max_delivered_per_s\":%.0f,\"max_drain_s\":%.1f,"
                        + "\"half_rate_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"p999_ms\":%.2f,"
                        + "\"raw_insert_rows_per_s\":%.0f,\"ratio_to_raw\":%.3f,\"raw_messages_per_s\":%.0f,\"ratio_to_raw_messages\":%.3f,\"storm_devices\":%d,\"storm_messages_each\":%d,"
                        + "\"storm_seconds\":%.1f,\"cpu_us_per_message_at_max\":%s}%n",
                o.pairs(), o.window(), max, top[5], top[6], half[0], half[1], half[2], half[3], ceiling.rowsPerSecond(),
                max / ceiling.rowsPerSecond(), ceiling.messagesPerSecond(), max / ceiling.messagesPerSecond(), storm == null ? 0 : storm.devices(), storm == null ? 0 : storm.messagesEach(),
                storm == null ? 0 : storm.seconds(), json(cpuAtMax));
        vertx.close();
        System.exit(0);
    }

    /**
     * Latency against offered load: runs at fractions of the measured maximum and draws p50, p99 and
     * p99.9 send→deliver against the achieved rate into a PNG (and prints each point).
     */
    private void curve(double max, int seconds, int window, Path png) throws Exception {
        double[] fractions = {0.1, 0.25, 0.5, 0.75, 0.9};
        List<double[]> p50 = new ArrayList<>();
        List<double[]> p99 = new ArrayList<>();
        List<double[]> p999 = new ArrayList<>();
        StringBuilder json = new StringBuilder("[");
        for (double f : fractions) {
            double[] r = run(seconds, max * f, window);
            System.out.printf("at %.0f %% of max (%.0f/s achieved): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms%s%n", f * 100,
                    r[0], r[1], r[2], r[3], cpu == null ? "" : "; CPU per message: " + CpuMeter.describe(cpuPerMessage));
            p50.add(new double[] {r[0], r[1]});
            p99.add(new double[] {r[0], r[2]});
            p999.add(new double[] {r[0], r[3]});
            json.append(json.length() > 1 ? "," : "").append(String.format(java.util.Locale.ROOT,
                    "{\"rate\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"p999_ms\":%.2f}", r[0], r[1], r[2], r[3]));
        }
        new Plot("1:1 messages: send→deliver latency against load (max " + Math.round(max) + "/s)",
                "persisted messages per second", "latency, ms (log scale)", true)
                .add("p50", p50).add("p99", p99).add("p99.9", p999).write(png);
        System.out.println("{\"scenario\":\"messaging-curve\",\"max_per_s\":" + Math.round(max) + ",\"points\":"
                + json.append(']') + ",\"plot\":\"" + png + "\"}");
    }

    private void connect(ServerAddress server, DeviceCredentials sender, DeviceCredentials recipient) throws Exception {
        ParleyClient to = ParleyClient.create(vertx, server, recipient);
        new Messenger(to).onEnvelope(e -> {
            ByteBuffer content = e.getContent().asReadOnlyByteBuffer();
            long sentAt = content.getLong();
            if (content.getInt() == phase) {
                // Only this phase's messages count: a backlog left by the one before must not hide in its figures.
                if (sentAt >= recordFrom) {
                    latency.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1_000));
                }
                delivered.incrementAndGet();
            }
        });
        BenchNode.await(to.connect());
        pairs.add(new Pair(BenchNode.await(ParleyClient.connect(vertx, server, sender)),
                Ids.uuid(recipient.getUserId(), "user_id")));
    }

    /**
     * Runs all pairs for a while; targetRate 0 means as fast as the window allows. Then waits until
     * every message of the phase has reached its recipient (up to {@link #DRAIN_LIMIT_S}), so that
     * the next phase starts on an empty pipeline. Returns {sent per second, p50, p99, p99.9, max in
     * ms, delivered per second (sending plus drain time), drain seconds}.
     */
    private double[] run(int seconds, double targetRate, int window) throws Exception {
        ratePerPair = targetRate / pairs.size();
        phase++;
        sent.set(0);
        delivered.set(0);
        tickets.set(0);
        latency.reset();
        java.util.Map<String, Double> cpuBefore = cpu == null ? java.util.Map.of() : cpu.sample();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        // A paced phase's first seconds follow a phase at full speed (compilation of the paced
        // path, autovacuum of the rows just deleted): its latency counts from SETTLE_S on.
        recordFrom = targetRate > 0 ? start + Math.min(SETTLE_S * 1_000_000_000L, (end - start) / 5) : start;
        List<Future<Void>> loops = new ArrayList<>();
        for (Pair pair : pairs) {
            for (int w = 0; w < window; w++) {
                loops.add(pair.sender().onContext(() -> sendLoop(pair, end, start)));
            }
        }
        BenchNode.await(Future.all(loops));
        double elapsed = (System.nanoTime() - start) / 1e9;
        long drainStart = System.nanoTime();
        long drainEnd = drainStart + DRAIN_LIMIT_S * 1_000_000_000L;
        while (delivered.get() < sent.get() && System.nanoTime() < drainEnd) {
            Thread.sleep(10);
        }
        double drain = (System.nanoTime() - drainStart) / 1e9;
        if (delivered.get() < sent.get()) {
            throw new IllegalStateException(String.format("%d of %d messages not delivered %d s after the phase",
                    sent.get() - delivered.get(), sent.get(), DRAIN_LIMIT_S));
        }
        if (cpu != null) {
            cpuPerMessage = CpuMeter.perItem(cpuBefore, cpu.sample(), sent.get());
        }
        var histogram = latency.getIntervalHistogram();
        return new double[] {sent.get() / elapsed, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0,
                histogram.getMaxValue() / 1000.0, delivered.get() / (elapsed + drain), drain};
    }

    /**
     * One in-flight slot of a sender: take the next send's ticket, wait for its time if a rate is
     * set, send, wait for "sent", repeat until the end. Ticket k is due at start + k / rate, so a
     * paced phase sends evenly from its first millisecond instead of every slot at once, and a send
     * that leaves late (its slot was still waiting for an earlier "sent") is timed from when it was
     * due: a stall shows in full instead of delaying the sends that would have measured it.
     */
    private Future<Void> sendLoop(Pair pair, long end, long start) {
        if (System.nanoTime() >= end) {
            return Future.succeededFuture();
        }
        if (ratePerPair > 0) {
            long dueNanos = start + (long) (tickets.getAndIncrement() / (ratePerPair * pairs.size()) * 1e9);
            long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
            if (waitMs > 0) {
                io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
                vertx.setTimer(waitMs, t -> sendOne(pair, end, start, Math.min(dueNanos, System.nanoTime())).onComplete(later));
                return later.future();
            }
            return sendOne(pair, end, start, Math.min(dueNanos, System.nanoTime()));
        }
        return sendOne(pair, end, start, System.nanoTime());
    }

    private Future<Void> sendOne(Pair pair, long end, long start, long sentAt) {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES).putLong(sentAt).putInt(phase);
        Request.Builder send = Request.newBuilder().setSendMessage(SendMessageRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(Ids.bytes(pair.recipient()))
                .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(Ids.bytes(pair.recipient())).setDeviceId(1)
                        .setContent(ByteString.copyFrom(payload.array()))));
        return pair.sender().send(send).compose(response -> {
            sent.incrementAndGet();
            return sendLoop(pair, end, start);
        });
    }

    private static String json(java.util.Map<String, Double> perMessage) {
        StringBuilder out = new StringBuilder("{");
        perMessage.entrySet().stream().filter(e -> e.getValue() >= 0.5).forEach(e -> out.append(out.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":")
                .append(Math.round(e.getValue())));
        return out.append('}').toString();
    }

    record Options(String server, String codeFile, String postgresUrl, int pairs, int window, int seconds,
            int warmupSeconds, int stormDevices, int stormMessages, String plot, String cpuPids) {
        static Options parse(String[] args) {
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Options(m.getOrDefault("server", "http://127.0.0.1:8080"), m.get("codes"), m.get("postgres"),
                    Integer.parseInt(m.getOrDefault("pairs", "100")), Integer.parseInt(m.getOrDefault("window", "8")),
                    Integer.parseInt(m.getOrDefault("seconds", "20")), Integer.parseInt(m.getOrDefault("warmup", "5")),
                    Integer.parseInt(m.getOrDefault("storm-devices", "10000")),
                    Integer.parseInt(m.getOrDefault("storm-messages", "10")), m.get("plot"), m.get("cpu-pids"));
        }
    }
}
