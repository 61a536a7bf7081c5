package io.parley.perf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ceiling for persisted messages: rows per second that the same PostgreSQL takes through
 * batched multi-row INSERTs of inbox-shaped rows (a scratch copy of the inbox table, the same
 * UNNEST statement shape the messaging verticle uses, one commit per batch), with no Parley in between.
 * And a second, closer ceiling: messages per second when each message costs what a delivered 1:1
 * message costs PostgreSQL in Parley — a {@code sent_messages} row, an inbox row, and the deletion of
 * that inbox row once acked (here: in the next batch of the same connection) — again batched, one
 * commit per batch, on scratch copies of both tables.
 */
final class RawInsertCeiling {
    static final int BATCH = 500;
    static final int CONNECTIONS = 4;
    private static final int PAYLOAD_BYTES = 160;

    record Result(double rowsPerSecond, double messagesPerSecond) {
    }

    static Result measure(String postgresUrl, int seconds) throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(CONNECTIONS))
                .connectingTo(PgConnectOptions.fromUri(postgresUrl).setCachePreparedStatements(true)).using(vertx).build();
        try {
            BenchNode.await(pool.query("DROP TABLE IF EXISTS bench_inbox, bench_sent").execute()
                    .compose(r -> pool.query("CREATE TABLE bench_inbox (LIKE inbox INCLUDING ALL)").execute())
                    .compose(r -> pool.query("CREATE TABLE bench_sent (LIKE sent_messages INCLUDING ALL)").execute()));
            double rows = rate(() -> loop(pool, System.nanoTime() + seconds * 1_000_000_000L, 0));
            double messages = rate(() -> messageLoop(pool, System.nanoTime() + seconds * 1_000_000_000L, 0, null));
            return new Result(rows, messages);
        } finally {
            BenchNode.await(pool.query("DROP TABLE IF EXISTS bench_inbox, bench_sent").execute());
            BenchNode.await(pool.close());
            BenchNode.await(vertx.close());
        }
    }

    /** Items per second of CONNECTIONS loops run side by side. */
    private static double rate(java.util.function.Supplier<Future<Long>> loop) throws Exception {
        long start = System.nanoTime();
        List<Future<Long>> writers = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            writers.add(loop.get());
        }
        long items = 0;
        for (Future<Long> w : writers) {
            items += BenchNode.await(w);
        }
        return items / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * One transaction per batch: BATCH sent_messages rows, BATCH inbox rows, and the deletion of
     * the inbox rows the previous batch wrote (acked meanwhile). Returns messages written.
     */
    private static Future<Long> messageLoop(Pool pool, long end, long done, Tuple acked) {
        if (System.nanoTime() >= end) {
            return Future.succeededFuture(done);
        }
        Rows b = Rows.random();
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO bench_sent (sender_user, sender_device, "
                        + "client_message_id, message_id, recipient, server_ts) SELECT * FROM UNNEST($1::uuid[], $2::int[], "
                        + "$3::uuid[], $4::uuid[], $5::uuid[], $6::int8[]) ON CONFLICT DO NOTHING RETURNING message_id")
                .execute(Tuple.of(b.senders(), b.devices(), b.clientIds(), b.messages(), b.users(), b.timestamps()))
                .compose(r -> tx.preparedQuery("INSERT INTO bench_inbox (user_id, device_id, message_id, sender_user, "
                                + "sender_device, conversation_user, kind, content, server_ts) SELECT u, d, m, s, 1, s, k, c, t "
                                + "FROM UNNEST($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], $5::int2[], $6::bytea[], "
                                + "$7::int8[]) AS x(u, d, m, s, k, c, t) RETURNING user_id, device_id, seq")
                        .execute(b.inboxTuple()))
                .compose(inserted -> {
                    Future<?> deleted = acked == null ? Future.succeededFuture()
                            : tx.preparedQuery("DELETE FROM bench_inbox i USING UNNEST($1::uuid[], $2::int[], $3::int8[]) "
                                    + "AS a(u, d, s) WHERE i.user_id = a.u AND i.device_id = a.d AND i.seq = a.s").execute(acked);
                    return deleted.map(v -> keys(inserted));
                }))
                .compose(next -> messageLoop(pool, end, done + BATCH, next));
    }

    private static Tuple keys(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> inserted) {
        List<UUID> users = new ArrayList<>();
        List<Integer> devices = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        inserted.forEach(row -> {
            users.add(row.getUUID(0));
            devices.add(row.getInteger(1));
            seqs.add(row.getLong(2));
        });
        return Tuple.of(users.toArray(UUID[]::new), devices.toArray(Integer[]::new), seqs.toArray(Long[]::new));
    }

    private static Future<Long> loop(Pool pool, long end, long done) {
        if (System.nanoTime() >= end) {
            return Future.succeededFuture(done);
        }
        Rows b = Rows.random();
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO bench_inbox (user_id, device_id, message_id, "
                        + "sender_user, sender_device, conversation_user, kind, content, server_ts) "
                        + "SELECT u, d, m, s, 1, s, k, c, t FROM UNNEST($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], "
                        + "$5::int2[], $6::bytea[], $7::int8[]) AS x(u, d, m, s, k, c, t)")
                .execute(b.inboxTuple()))
                .compose(r -> loop(pool, end, done + BATCH));
    }

    /** One batch of random inbox-shaped rows from one sender, column by column. */
    private record Rows(UUID[] users, Integer[] devices, UUID[] messages, UUID[] clientIds, Short[] kinds,
            Buffer[] contents, Long[] timestamps, UUID[] senders) {
        static Rows random() {
            Rows b = new Rows(new UUID[BATCH], new Integer[BATCH], new UUID[BATCH], new UUID[BATCH], new Short[BATCH],
                    new Buffer[BATCH], new Long[BATCH], new UUID[BATCH]);
            UUID sender = UUID.randomUUID();
            for (int i = 0; i < BATCH; i++) {
                b.users[i] = UUID.randomUUID();
                b.devices[i] = 1;
                b.messages[i] = UUID.randomUUID();
                b.clientIds[i] = UUID.randomUUID();
                b.kinds[i] = 0;
                b.contents[i] = Buffer.buffer(new byte[PAYLOAD_BYTES]);
                b.timestamps[i] = System.currentTimeMillis();
                b.senders[i] = sender;
            }
            return b;
        }

        Tuple inboxTuple() {
            return Tuple.of(users, devices, messages, senders, kinds, contents, timestamps);
        }
    }

    private RawInsertCeiling() {
    }
}
