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

    private final List<ParleyClient> clients = new ArrayList<>();
    private final List<GroupMessenger> messengers = new ArrayList<>();
    private volatile Round round;

    /** One send being measured: when it left and how many devices have it. */
    private record Round(int index, long sentAt, AtomicInteger received, AtomicLong lastAt, Promise<Long> complete,
            int expected) {
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int members = Integer.parseInt(o.getOrDefault("members", "1024"));
        int sends = Integer.parseInt(o.getOrDefault("sends", "50"));
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
        long seqBefore = single(db, "SELECT last_value FROM inbox_seq", null).getLong(0);
        long startedAt = System.currentTimeMillis();
        Histogram lastDevice = new Histogram(3);
        for (int i = 0; i < sends; i++) {
            lastDevice.recordValue(load.measure(creator, groupId, i, members - 1));
        }
        long seqAfter = single(db, "SELECT last_value FROM inbox_seq", null).getLong(0);
        Row bodies = single(db, "SELECT count(*), COALESCE(sum(octet_length(content)), 0) FROM message_bodies "
                + "WHERE created_at >= $1", startedAt);
        Row receipts = single(db, "SELECT count(*) FROM group_receipts r JOIN group_messages m USING (message_id) "
                + "WHERE m.group_id = $1", groupId);
        double rowsPerFanout = (seqAfter - seqBefore) / (double) sends;
        double bodiesPerFanout = bodies.getLong(0) / (double) sends;
        double bodyBytes = bodies.getLong(1) / (double) sends;

        System.out.printf("registered %d users in %.1f s; group of %d created%n", members, registerSeconds, group.getMembersCount());
        System.out.printf("first send (sender key to %d users over 1:1, then the message) to the last device: %d ms%n",
                members - 1, firstMs);
        System.out.printf("%d sends, send -> last of %d devices: p50 %d ms, p99 %d ms, max %d ms%n", sends, members - 1,
                lastDevice.getValueAtPercentile(50), lastDevice.getValueAtPercentile(99), lastDevice.getMaxValue());
        System.out.printf("per fan-out: %.1f inbox rows, %.2f bodies stored, %.0f body bytes (plaintext %d bytes); "
                + "%d delivered receipts recorded%n", rowsPerFanout, bodiesPerFanout, bodyBytes, PLAINTEXT_BYTES,
                receipts.getLong(0));
        System.out.printf("{\"scenario\":\"groups\",\"members\":%d,\"sends\":%d,\"first_send_ms\":%d,\"p50_ms\":%d,"
                        + "\"p99_ms\":%d,\"max_ms\":%d,\"inbox_rows_per_fanout\":%.1f,\"bodies_per_fanout\":%.2f,"
                        + "\"body_bytes_per_fanout\":%.0f,\"receipts\":%d}%n",
                members, sends, firstMs, lastDevice.getValueAtPercentile(50), lastDevice.getValueAtPercentile(99),
                lastDevice.getMaxValue(), rowsPerFanout, bodiesPerFanout, bodyBytes, receipts.getLong(0));
        vertx.close();
        System.exit(0);
    }

    private void connect(Vertx vertx, ServerAddress server, List<DeviceCredentials> devices, Path keys) throws Exception {
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
        current.lastAt().accumulateAndGet(System.nanoTime(), Math::max);
        if (current.received().incrementAndGet() == current.expected()) {
            current.complete().tryComplete((current.lastAt().get() - current.sentAt()) / 1_000_000);
        }
    }

    /** Sends one message and returns the ms from the send call to the last expected device that decrypted it. */
    private long measure(GroupMessenger sender, UUID groupId, int index, int expected) throws Exception {
        Promise<Long> complete = Promise.promise();
        byte[] plaintext = ByteBuffer.allocate(PLAINTEXT_BYTES).putInt(index).array();
        round = new Round(index, System.nanoTime(), new AtomicInteger(), new AtomicLong(), complete, expected);
        BenchNode.await(sender.send(groupId, plaintext));
        return complete.future().toCompletionStage().toCompletableFuture()
                .get(SEND_DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static Row single(Pool db, String sql, Object parameter) throws Exception {
        return BenchNode.await(parameter == null ? db.query(sql).execute() : db.preparedQuery(sql).execute(Tuple.of(parameter)))
                .iterator().next();
    }
}
