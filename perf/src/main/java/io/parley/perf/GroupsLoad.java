package io.parley.perf;

import io.parley.bus.Ids;
import io.parley.client.GroupMessenger;
import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.client.SenderKeyFiles;
import io.parley.client.ServerAddress;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Group;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Group fan-out through real connections: one group of N members (one device each, all online,
 * SDK clients in this JVM with libsignal sender keys). After a first send that hands out the sender
 * key, SENDS messages go out one after the other; for each, the time from the send call to the
 * last member device that decrypted it (one clock: both ends are here). Then the server's work per
 * fan-out, read from PostgreSQL: inbox rows written (inbox_seq), bodies stored and their bytes.
 * Prints figures and a final JSON line.
 */
public final class GroupsLoad {
    private static final int PLAINTEXT_BYTES = 160;
    private static final long SEND_DEADLINE_MS = 30_000;
    private static final int CONNECT_BATCH = 64;
    private static final int STATS_POLLS = 50;
    private static final long STATS_POLL_MS = 200;
    private static final int SLOWEST_SHOWN = 5;

    private final List<ParleyClient> clients = new ArrayList<>();
    private final List<GroupMessenger> messengers = new ArrayList<>();
    private volatile Round round;
    private long halfway;
    private long acknowledged;

    /** One send being measured: when it left and how many devices have it. */
    private record Round(int index, long sentAt, AtomicInteger received, AtomicLong lastAt, AtomicLong halfAt,
            Promise<Long> complete, int expected) {
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int members = Integer.parseInt(o.getOrDefault("members", "1024"));
        int sends = Integer.parseInt(o.getOrDefault("sends", "50"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "60"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ServerAddress server = ServerAddress.parse(o.getOrDefault("server", "http://127.0.0.1:8080"));
        Pool db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(o.get("postgres"))).using(vertx).build();
        BenchNode node = new BenchNode(vertx, server, Path.of(o.get("codes")));
        GroupsLoad load = new GroupsLoad();

        long began = System.nanoTime();
        List<DeviceCredentials> devices = node.register("grp" + System.currentTimeMillis() % 1_000_000, members);
        double registerSeconds = (System.nanoTime() - began) / 1e9;
        Path keys = Files.createTempDirectory("parley-bench-groups");
        load.connect(vertx, server, devices, keys);
        GroupMessenger creator = load.messengers.get(0);
        List<UUID> others = devices.stream().skip(1).map(d -> Ids.uuid(d.getUserId(), "user_id")).toList();
        Group group = BenchNode.await(creator.api().create("bench", others));
        UUID groupId = Ids.uuid(group.getGroupId(), "group_id");

        long firstMs = load.measure(creator, groupId, -1, members - 1);
        // Unmeasured sends first: the JVMs keep compiling the fan-out's code for ~40 s (C2 took a third of
        // a core per JVM until then), and a node in service has long finished.
        long warming = System.nanoTime();
        for (int i = 0; i < warmup; i++) {
            load.measure(creator, groupId, -2 - i, members - 1);
        }
        System.out.printf("sender key handed out, first message at the last device after %d ms; %d warm-up sends in %.1f s;"
                + " measuring %d sends%n", firstMs, warmup, (System.nanoTime() - warming) / 1e9, sends);
        long seqBefore = single(db, "SELECT last_value FROM inbox_seq", null).getLong(0);
        long[] bodiesBefore = bodyInserts(db);
        long startedAt = System.currentTimeMillis();
        CpuMeter cpu = CpuMeter.ofOption(o.get("cpu-pids"));
        java.util.Map<String, Double> cpuBefore = cpu == null ? java.util.Map.of() : cpu.sample();
        Histogram lastDevice = new Histogram(3);
        Histogram medianDevice = new Histogram(3);
        Histogram sentTick = new Histogram(3);
        List<long[]> slowest = new ArrayList<>(); // {wall-clock start ms, ms to the last device}
        for (int i = 0; i < sends; i++) {
            long at = System.currentTimeMillis();
            long last = load.measure(creator, groupId, i, members - 1);
            slowest.add(new long[] {at, last});
            lastDevice.recordValue(last);
            medianDevice.recordValue(load.halfway);
            sentTick.recordValue(load.acknowledged);
        }
        java.util.Map<String, Double> cpuPerFanout = cpu == null ? java.util.Map.of()
                : CpuMeter.perItem(cpuBefore, cpu.sample(), sends);
        long seqAfter = single(db, "SELECT last_value FROM inbox_seq", null).getLong(0);
        long[] bodiesAfter = settledBodyInserts(db, bodiesBefore[0] + sends);
        Row bodySizes = single(db, "SELECT COALESCE(avg(octet_length(content)), 0) FROM message_bodies WHERE created_at >= $1",
                startedAt);
        Row receiptRows = single(db, "SELECT count(*) FROM group_receipts r JOIN group_messages m USING (message_id) "
                + "WHERE m.group_id = $1", groupId);
        double rowsPerFanout = (seqAfter - seqBefore) / (double) sends;
        double bodiesPerFanout = (bodiesAfter[0] - bodiesBefore[0]) / (double) sends;
        double bodyBytes = bodySizes.getNumeric(0).doubleValue();

        System.out.printf("registered %d users in %.1f s; group of %d created%n", members, registerSeconds, group.getMembersCount());
        System.out.printf("first send (sender key to %d users over 1:1, then the message) to the last device: %d ms%n",
                members - 1, firstMs);
        System.out.printf("%d sends, send -> last of %d devices: p50 %d ms, p99 %d ms, max %d ms%n", sends, members - 1,
                lastDevice.getValueAtPercentile(50), lastDevice.getValueAtPercentile(99), lastDevice.getMaxValue());
        // When the tail happened, to match against GC logs and the node's log (UTC, as they are).
        slowest.sort((a, b) -> Long.compare(b[1], a[1]));
        System.out.println("slowest sends (UTC start, ms): " + String.join(", ", slowest.stream().limit(SLOWEST_SHOWN)
                .map(t -> java.time.Instant.ofEpochMilli(t[0]).toString().substring(11, 23) + " " + t[1]).toList()));
        System.out.printf("send -> \"sent\" (stored, answered): p50 %d ms, p99 %d ms%n", sentTick.getValueAtPercentile(50),
                sentTick.getValueAtPercentile(99));
        System.out.printf("send -> half of the devices: p50 %d ms, p99 %d ms%n", medianDevice.getValueAtPercentile(50),
                medianDevice.getValueAtPercentile(99));
        System.out.printf("per fan-out: %.1f inbox rows, %.2f bodies stored, %.0f body bytes (plaintext %d bytes); "
                + "%d delivered marks recorded (from the members' acks)%n", rowsPerFanout, bodiesPerFanout, bodyBytes, PLAINTEXT_BYTES,
                receiptRows.getLong(0));
        if (cpu != null) {
            // Shown in ms: each fan-out is a delivery and an ack per member device.
            System.out.println("CPU per fan-out: " + CpuMeter.describe(cpuPerFanout, 1000.0, "ms")
                    + " (java: the node with everything the members send back; load: the " + members + " SDK clients)");
        }
        System.out.printf("{\"scenario\":\"groups\",\"members\":%d,\"sends\":%d,\"first_send_ms\":%d,\"p50_ms\":%d,"
                        + "\"p99_ms\":%d,\"max_ms\":%d,\"half_p50_ms\":%d,\"half_p99_ms\":%d,\"sent_p50_ms\":%d,\"sent_p99_ms\":%d,\"inbox_rows_per_fanout\":%.1f,\"bodies_per_fanout\":%.2f,"
                        + "\"body_bytes_per_fanout\":%.0f,\"receipts\":%d}%n",
                members, sends, firstMs, lastDevice.getValueAtPercentile(50), lastDevice.getValueAtPercentile(99),
                lastDevice.getMaxValue(), medianDevice.getValueAtPercentile(50), medianDevice.getValueAtPercentile(99),
                sentTick.getValueAtPercentile(50), sentTick.getValueAtPercentile(99),
                rowsPerFanout, bodiesPerFanout, bodyBytes, receiptRows.getLong(0));
        vertx.close();
        System.exit(0);
    }

    private void connect(Vertx vertx, ServerAddress server, List<DeviceCredentials> devices, Path keys)
            throws Exception {
        for (int i = 0; i < devices.size(); i++) {
            ParleyClient client = ParleyClient.create(vertx, server, devices.get(i));
            GroupMessenger groups = new GroupMessenger(client, new Messenger(client),
                    SenderKeyFiles.open(vertx, keys.resolve("d" + i))).onMessage(this::received);
            clients.add(client);
            messengers.add(groups);
        }
        // In batches: a thousand simultaneous connects would only measure the edge's admission.
        for (int start = 0; start < clients.size(); start += CONNECT_BATCH) {
            BenchNode.await(Future.all(clients.subList(start, Math.min(clients.size(), start + CONNECT_BATCH)).stream()
                    .map(ParleyClient::connect).toList()));
        }
    }

    private void received(GroupMessenger.GroupMessage message) {
        Round current = round;
        if (current == null || ByteBuffer.wrap(message.plaintext()).getInt() != current.index()) {
            return;
        }
        long now = System.nanoTime();
        current.lastAt().accumulateAndGet(now, Math::max);
        int count = current.received().incrementAndGet();
        if (count == (current.expected() + 1) / 2) {
            current.halfAt().set(now);
        }
        if (count == current.expected()) {
            current.complete().tryComplete((current.lastAt().get() - current.sentAt()) / 1_000_000);
        }
    }

    /** Sends one message and returns the ms from the send call to the last expected device that decrypted it. */
    private long measure(GroupMessenger sender, UUID groupId, int index, int expected) throws Exception {
        Promise<Long> complete = Promise.promise();
        byte[] plaintext = ByteBuffer.allocate(PLAINTEXT_BYTES).putInt(index).array();
        round = new Round(index, System.nanoTime(), new AtomicInteger(), new AtomicLong(), new AtomicLong(), complete, expected);
        BenchNode.await(sender.send(groupId, plaintext));
        acknowledged = (System.nanoTime() - round.sentAt()) / 1_000_000;
        long last = complete.future().toCompletionStage().toCompletableFuture()
                .get(SEND_DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        halfway = (round.halfAt().get() - round.sentAt()) / 1_000_000;
        return last;
    }

    /** Rows ever inserted into message_bodies (sweeps delete them, this count stays), from PostgreSQL's statistics. */
    private static long[] bodyInserts(Pool db) throws Exception {
        BenchNode.await(db.query("SELECT pg_stat_clear_snapshot()").execute());
        return new long[] {single(db, "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'message_bodies'", null)
                .getLong(0)};
    }

    /** The statistics reach the view with a delay: read until they show at least {@code atLeast} and stop moving (bounded). */
    private static long[] settledBodyInserts(Pool db, long atLeast) throws Exception {
        long[] last = bodyInserts(db);
        for (int i = 0; i < STATS_POLLS; i++) {
            Thread.sleep(STATS_POLL_MS);
            long[] now = bodyInserts(db);
            if (now[0] == last[0] && now[0] >= atLeast) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static Row single(Pool db, String sql, Object parameter) throws Exception {
        return BenchNode.await(parameter == null ? db.query(sql).execute() : db.preparedQuery(sql).execute(Tuple.of(parameter)))
                .iterator().next();
    }
}
