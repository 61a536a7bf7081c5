package io.parley.perf;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.client.Presence;
import io.parley.client.ServerAddress;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.parley.proto.Receipt;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Receipts, typing and presence through real connections. Receipts: N reader/sender pairs, each
 * reader keeping a window of read receipts in flight to its sender (each names one message id
 * carrying its send time); counts stored receipts per second and receipt→sender-device latency.
 * Typing: each pair plays ping-pong (next indicator when the last arrived); relay latency.
 * Presence: one user with F subscribed devices connects and leaves R times; the time until every
 * subscriber was told. Prints figures and a final JSON line.
 */
public final class PresenceLoad {
    private static final long ROUND_TIMEOUT_S = 60;

    private static volatile boolean typing;

    /** typedAt: when the pair's last typing indicator left the reader (nanoTime). */
    private record Pair(ParleyClient reader, ParleyClient sender, UUID senderId, Presence readerPresence, AtomicLong typedAt) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int pairs = Integer.parseInt(o.getOrDefault("pairs", "50"));
        int window = Integer.parseInt(o.getOrDefault("window", "8"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "10"));
        int subscribers = Integer.parseInt(o.getOrDefault("subscribers", "500"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "10"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ServerAddress server = ServerAddress.parse(o.getOrDefault("server", "http://127.0.0.1:8080"));
        BenchNode node = new BenchNode(vertx, server, Path.of(o.get("codes")));
        long tag = System.currentTimeMillis() % 1_000_000;

        Recorder receiptLatency = new Recorder(3);
        Recorder typingLatency = new Recorder(3);
        AtomicLong typed = new AtomicLong();
        List<DeviceCredentials> readers = node.register("rdr" + tag, pairs);
        List<DeviceCredentials> senders = node.register("snd" + tag, pairs);
        List<Pair> all = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            ParleyClient sender = ParleyClient.create(vertx, server, senders.get(i));
            new Messenger(sender).onEnvelope(e -> {
                if (e.getKind() == Envelope.Kind.RECEIPT) {
                    long sentAt = ByteBuffer.wrap(e.getReceipt().getMessageIds(0).toByteArray()).getLong();
                    receiptLatency.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1_000));
                }
            });
            Presence senderPresence = new Presence(sender);
            BenchNode.await(sender.connect());
            ParleyClient reader = BenchNode.await(ParleyClient.connect(vertx, server, readers.get(i)));
            Pair pair = new Pair(reader, sender, Ids.uuid(senders.get(i).getUserId(), "user_id"), new Presence(reader),
                    new AtomicLong());
            senderPresence.onTyping(t -> {
                if (!typing) {
                    return;
                }
                typingLatency.recordValue(Math.max(0, (System.nanoTime() - pair.typedAt().get()) / 1_000));
                typed.incrementAndGet();
                pair.typedAt().set(System.nanoTime());
                pair.readerPresence().typing(pair.senderId(), true);
            });
            all.add(pair);
        }

        // Receipts at full speed (a warm-up of a third of the time first).
        receipts(all, window, Math.max(1, seconds / 3), receiptLatency);
        receiptLatency.reset();
        double receiptsPerSecond = receipts(all, window, seconds, receiptLatency);
        Histogram receiptHistogram = receiptLatency.getIntervalHistogram();

        // Typing ping-pong, every pair at once.
        typingLatency.reset();
        typed.set(0);
        typing = true;
        long typingStart = System.nanoTime();
        for (Pair p : all) {
            p.reader().onContext(() -> {
                p.typedAt().set(System.nanoTime());
                return p.readerPresence().typing(p.senderId(), true);
            });
        }
        Thread.sleep(seconds * 1000L);
        typing = false;
        double typingPerSecond = typed.get() / ((System.nanoTime() - typingStart) / 1e9);
        Histogram typingHistogram = typingLatency.getIntervalHistogram();

        double[] fanOut = fanOut(vertx, server, node, "fan" + tag, subscribers, rounds);

        System.out.printf("receipts stored/s: %.0f (window %d per pair, %d pairs); receipt->sender p50 %.2f ms, p99 %.2f ms%n",
                receiptsPerSecond, window, pairs, ms(receiptHistogram, 50), ms(receiptHistogram, 99));
        System.out.printf("typing relayed/s: %.0f (ping-pong, %d pairs); relay p50 %.2f ms, p99 %.2f ms%n",
                typingPerSecond, pairs, ms(typingHistogram, 50), ms(typingHistogram, 99));
        System.out.printf("presence fan-out to %d subscribers (%d rounds): online p50 %.1f ms, max %.1f ms; "
                + "offline p50 %.1f ms, max %.1f ms%n", subscribers, rounds, fanOut[0], fanOut[1], fanOut[2], fanOut[3]);
        System.out.printf("{\"scenario\":\"presence\",\"pairs\":%d,\"window\":%d,\"receipts_per_s\":%.0f,"
                        + "\"receipt_p50_ms\":%.2f,\"receipt_p99_ms\":%.2f,\"typing_per_s\":%.0f,\"typing_p50_ms\":%.2f,"
                        + "\"typing_p99_ms\":%.2f,\"subscribers\":%d,\"online_fanout_p50_ms\":%.1f,\"online_fanout_max_ms\":%.1f,"
                        + "\"offline_fanout_p50_ms\":%.1f,\"offline_fanout_max_ms\":%.1f}%n",
                pairs, window, receiptsPerSecond, ms(receiptHistogram, 50), ms(receiptHistogram, 99), typingPerSecond,
                ms(typingHistogram, 50), ms(typingHistogram, 99), subscribers, fanOut[0], fanOut[1], fanOut[2], fanOut[3]);
        vertx.close();
        System.exit(0);
    }

    /** Every reader keeps {@code window} read receipts in flight for {@code seconds}; returns stored receipts/s. */
    private static double receipts(List<Pair> pairs, int window, int seconds, Recorder latency) throws Exception {
        AtomicLong stored = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Future<Void>> loops = new ArrayList<>();
        for (Pair p : pairs) {
            for (int w = 0; w < window; w++) {
                loops.add(p.reader().onContext(() -> receiptLoop(p, end, stored)));
            }
        }
        BenchNode.await(Future.all(loops));
        return stored.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static Future<Void> receiptLoop(Pair p, long end, AtomicLong stored) {
        if (System.nanoTime() >= end) {
            return Future.succeededFuture();
        }
        ByteString id = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(System.nanoTime()).putLong(0).array());
        return p.reader().send(io.parley.proto.Request.newBuilder().setReceipt(io.parley.proto.ReceiptRequest.newBuilder()
                        .setToUser(Ids.bytes(p.senderId())).setType(Receipt.Type.READ).addMessageIds(id)))
                .compose(ok -> {
                    stored.incrementAndGet();
                    return receiptLoop(p, end, stored);
                });
    }

    /** One user, {@code n} subscribed devices, {@code rounds} connects and leaves: {online p50, max, offline p50, max} in ms. */
    private static double[] fanOut(Vertx vertx, ServerAddress server, BenchNode node, String prefix, int n, int rounds)
            throws Exception {
        DeviceCredentials target = node.register(prefix + "_target", 1).get(0);
        UUID targetId = Ids.uuid(target.getUserId(), "user_id");
        CountDownLatch[] latch = {null};
        boolean[] expect = {false};
        List<Presence> watchers = new ArrayList<>();
        for (DeviceCredentials c : node.register(prefix, n)) {
            ParleyClient client = BenchNode.await(ParleyClient.connect(vertx, server, c));
            Presence presence = new Presence(client).onUpdate(u -> {
                CountDownLatch l = latch[0];
                if (l != null && u.getOnline() == expect[0]) {
                    l.countDown();
                }
            });
            BenchNode.await(presence.subscribe(targetId));
            watchers.add(presence);
        }
        Histogram online = new Histogram(3);
        Histogram offline = new Histogram(3);
        for (int r = 0; r < rounds; r++) {
            expect[0] = true;
            latch[0] = new CountDownLatch(n);
            long began = System.nanoTime();
            ParleyClient client = BenchNode.await(ParleyClient.connect(vertx, server, target));
            if (!latch[0].await(ROUND_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("online reached " + (n - latch[0].getCount()) + " of " + n + " subscribers");
            }
            online.recordValue((System.nanoTime() - began) / 1_000);
            expect[0] = false;
            latch[0] = new CountDownLatch(n);
            began = System.nanoTime();
            BenchNode.await(client.close());
            if (!latch[0].await(ROUND_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("offline reached " + (n - latch[0].getCount()) + " of " + n + " subscribers");
            }
            offline.recordValue((System.nanoTime() - began) / 1_000);
        }
        return new double[] {online.getValueAtPercentile(50) / 1000.0, online.getMaxValue() / 1000.0,
                offline.getValueAtPercentile(50) / 1000.0, offline.getMaxValue() / 1000.0};
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return m;
    }
}
