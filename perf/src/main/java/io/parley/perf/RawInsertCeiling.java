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
 */
final class RawInsertCeiling {
    static final int BATCH = 500;
    static final int CONNECTIONS = 4;
    private static final int PAYLOAD_BYTES = 160;

    record Result(double rowsPerSecond) {
    }

    static Result measure(String postgresUrl, int seconds) throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(CONNECTIONS))
                .connectingTo(PgConnectOptions.fromUri(postgresUrl)).using(vertx).build();
        try {
            BenchNode.await(pool.query("DROP TABLE IF EXISTS bench_inbox").execute()
                    .compose(r -> pool.query("CREATE TABLE bench_inbox (LIKE inbox INCLUDING ALL)").execute()));
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            List<Future<Long>> writers = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                writers.add(loop(pool, end, 0));
            }
            long rows = 0;
            for (Future<Long> w : writers) {
                rows += BenchNode.await(w);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Result(rows / elapsed);
        } finally {
            BenchNode.await(pool.query("DROP TABLE IF EXISTS bench_inbox").execute());
            BenchNode.await(pool.close());
            BenchNode.await(vertx.close());
        }
    }

    private static Future<Long> loop(Pool pool, long end, long done) {
        if (System.nanoTime() >= end) {
            return Future.succeededFuture(done);
        }
        UUID[] users = new UUID[BATCH];
        Integer[] devices = new Integer[BATCH];
        UUID[] messages = new UUID[BATCH];
        Short[] kinds = new Short[BATCH];
        Buffer[] contents = new Buffer[BATCH];
        Long[] timestamps = new Long[BATCH];
        UUID sender = UUID.randomUUID();
        for (int i = 0; i < BATCH; i++) {
            users[i] = UUID.randomUUID();
            devices[i] = 1;
            messages[i] = UUID.randomUUID();
            kinds[i] = 0;
            contents[i] = Buffer.buffer(new byte[PAYLOAD_BYTES]);
            timestamps[i] = System.currentTimeMillis();
        }
        UUID[] senders = java.util.Collections.nCopies(BATCH, sender).toArray(UUID[]::new);
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO bench_inbox (user_id, device_id, message_id, "
                        + "sender_user, sender_device, conversation_user, kind, content, server_ts) "
                        + "SELECT u, d, m, s, 1, s, k, c, t FROM UNNEST($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], "
                        + "$5::int2[], $6::bytea[], $7::int8[]) AS x(u, d, m, s, k, c, t)")
                .execute(Tuple.of(users, devices, messages, senders, kinds, contents, timestamps)))
                .compose(r -> loop(pool, end, done + BATCH));
    }

    private RawInsertCeiling() {
    }
}
