package io.parley.messaging;

import io.parley.proto.Envelope;
import io.parley.proto.GroupDeliveries;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application-level group commit: sends, deliveries and acks from many requests share one
 * transaction (one fsync). With no commit in flight a batch leaves at once, so an idle node adds
 * no wait. While one is in flight, work queues and leaves together in the next batch, up to a row
 * limit; with a linger configured (messaging.commitLingerMicros, off by default), that batch also
 * waits up to that long for more work before it takes the second commit slot, so a moderate load
 * sends more messages per commit (500 us measured no better on the 2-core benchmark machine).
 * Runs on its verticle's event loop only.
 */
final class InboxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(InboxWriter.class);

    /** Work for one batch: a send (with its idempotency record), a delivery, or acks. */
    sealed interface Op permits Send, Delivery, Acks {
        /** Rows this operation writes or deletes: what a batch's size is counted in. */
        int weight();
    }

    /** A send; with a body, its rows point at that one stored body (group messages). */
    record Send(InboxStore.SentRecord record, List<InboxRow> rows, Body body, Promise<SendResult> result) implements Op {
        public int weight() {
            return rows.size() + 1;
        }
    }

    record Body(UUID id, com.google.protobuf.ByteString content) {
    }

    record Delivery(List<InboxRow> rows, Promise<List<Envelope>> result) implements Op {
        public int weight() {
            return rows.size();
        }
    }

    record Acks(UUID userId, int deviceId, List<Long> sequences, Promise<Integer> result) implements Op {
        public int weight() {
            return sequences.size();
        }
    }

    /** What a send came to: stored now (with its stored envelopes), or a retry of an earlier one. */
    record SendResult(InboxStore.SentRecord record, boolean duplicate, List<Envelope> stored) {
    }

    /** Runs a task on the writer's event loop after a delay in nanoseconds (sub-millisecond ones too). */
    @FunctionalInterface
    interface Delay {
        void after(long nanos, Runnable task);
    }

    private final InboxStore store;
    private final int maxBatchRows;
    private final int maxInFlight;
    private final long lingerNanos;
    private final Delay delay;
    private final Consumer<List<GroupDeliveries.Delivered>> groupDelivered;
    private final Queue<Op> queue = new ArrayDeque<>();
    private int queuedRows;
    private int inFlight;
    private boolean lingering;
    private boolean lingerOver;
    private long batches;
    private long batchedOps;

    /**
     * {@code groupDelivered} hears, after each commit, the group messages whose acks it carried: what
     * marks them delivered to their members (one call per commit, however many devices acked).
     */
    InboxWriter(InboxStore store, int maxBatchRows, int maxInFlight, long lingerNanos, Delay delay,
            Consumer<List<GroupDeliveries.Delivered>> groupDelivered) {
        this.store = store;
        this.maxBatchRows = maxBatchRows;
        this.maxInFlight = maxInFlight;
        this.lingerNanos = lingerNanos;
        this.delay = delay;
        this.groupDelivered = groupDelivered;
    }

    Future<SendResult> send(InboxStore.SentRecord record, List<InboxRow> rows) {
        return send(record, rows, null);
    }

    Future<SendResult> send(InboxStore.SentRecord record, List<InboxRow> rows, Body body) {
        Promise<SendResult> promise = Promise.promise();
        submit(new Send(record, rows, body, promise));
        return promise.future();
    }

    Future<List<Envelope>> deliver(List<InboxRow> rows) {
        Promise<List<Envelope>> promise = Promise.promise();
        submit(new Delivery(rows, promise));
        return promise.future();
    }

    Future<Integer> ack(UUID userId, int deviceId, List<Long> sequences) {
        Promise<Integer> promise = Promise.promise();
        submit(new Acks(userId, deviceId, sequences, promise));
        return promise.future();
    }

    /** Batches so far and the operations they carried: their ratio is the group-commit factor. */
    long[] stats() {
        return new long[] {batches, batchedOps};
    }

    private void submit(Op op) {
        queue.add(op);
        queuedRows += op.weight();
        flush();
    }

    private void flush() {
        while (inFlight < maxInFlight && !queue.isEmpty()) {
            if (inFlight > 0 && !lingerOver && queuedRows < maxBatchRows && lingerNanos > 0) {
                // A commit is under way: give the next batch a moment to fill before it takes a slot.
                if (!lingering) {
                    lingering = true;
                    delay.after(lingerNanos, () -> {
                        lingering = false;
                        lingerOver = !queue.isEmpty();
                        flush();
                    });
                }
                return;
            }
            lingerOver = false;
            List<Op> batch = new ArrayList<>();
            int rows = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peek().weight() <= maxBatchRows)) {
                Op op = queue.poll();
                rows += op.weight();
                batch.add(op);
            }
            queuedRows -= rows;
            inFlight++;
            batches++;
            batchedOps += batch.size();
            commit(batch).onComplete(done -> {
                inFlight--;
                if (done.failed()) {
                    LOG.warn("inbox batch of {} operations failed: {}", batch.size(), done.cause().getMessage());
                    batch.forEach(op -> fail(op, done.cause()));
                }
                flush();
            });
        }
    }

    private Future<Void> commit(List<Op> batch) {
        List<Send> sends = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        List<Acks> acks = new ArrayList<>();
        for (Op op : batch) {
            if (op instanceof Send s) {
                sends.add(s);
            } else if (op instanceof Delivery d) {
                deliveries.add(d);
            } else if (op instanceof Acks a) {
                acks.add(a);
            }
        }
        Map<Send, SendResult> sendResults = new HashMap<>();
        Map<Delivery, List<Envelope>> deliveryResults = new HashMap<>();
        Map<Acks, Integer> ackResults = new HashMap<>();
        List<GroupDeliveries.Delivered> delivered = new ArrayList<>();
        // A batch of acks alone commits without waiting for its WAL flush: a crash may lose the last
        // fraction of a second of deletions, and those envelopes are delivered again, which clients
        // drop by message id (at least once, ARCHITECTURE.md). Sends and deliveries always wait.
        boolean acksOnly = sends.isEmpty() && deliveries.isEmpty();
        return store.pool().withTransaction(tx -> (acksOnly ? tx.query("SET LOCAL synchronous_commit TO off").execute()
                .<Void>mapEmpty() : Future.<Void>succeededFuture()).compose(ignored -> {
            Future<List<UUID>> newSends = sends.isEmpty() ? Future.succeededFuture(List.of())
                    : store.insertSent(tx, sends.stream().map(Send::record).toList());
            return newSends.compose(inserted -> {
                java.util.Set<UUID> fresh = new java.util.HashSet<>(inserted);
                List<Send> retries = sends.stream().filter(s -> !fresh.contains(s.record().messageId())).toList();
                Future<Map<String, InboxStore.SentRecord>> firsts = retries.isEmpty() ? Future.succeededFuture(Map.of())
                        : store.findSent(tx, retries.stream().map(Send::record).toList());
                return firsts.compose(found -> {
                    retries.forEach(s -> sendResults.put(s, new SendResult(found.get(s.record().key()), true, List.of())));
                    List<InboxRow> rows = new ArrayList<>();
                    List<UUID> bodyIds = new ArrayList<>();
                    List<com.google.protobuf.ByteString> bodies = new ArrayList<>();
                    sends.stream().filter(s -> fresh.contains(s.record().messageId())).forEach(s -> {
                        rows.addAll(s.rows());
                        if (s.body() != null) {
                            bodyIds.add(s.body().id());
                            bodies.add(s.body().content());
                        }
                    });
                    deliveries.forEach(d -> rows.addAll(d.rows()));
                    Future<Void> storedBodies = bodyIds.isEmpty() ? Future.succeededFuture()
                            : store.insertBodies(tx, bodyIds, bodies, System.currentTimeMillis());
                    return storedBodies.compose(v -> rows.isEmpty() ? Future.succeededFuture(List.<Envelope>of())
                            : store.insertInbox(tx, rows));
                }).map(stored -> {
                    int at = 0;
                    for (Send s : sends) {
                        if (fresh.contains(s.record().messageId())) {
                            sendResults.put(s, new SendResult(s.record(), false, stored.subList(at, at + s.rows().size())));
                            at += s.rows().size();
                        }
                    }
                    for (Delivery d : deliveries) {
                        deliveryResults.put(d, stored.subList(at, at + d.rows().size()));
                        at += d.rows().size();
                    }
                    return null;
                });
            }).compose(v -> deleteAcks(tx, acks, ackResults, delivered));
        })).map(v -> {
            sendResults.forEach((s, r) -> s.result().complete(r));
            deliveryResults.forEach((d, r) -> d.result().complete(r));
            ackResults.forEach((a, r) -> a.result().complete(r));
            if (!delivered.isEmpty()) {
                groupDelivered.accept(delivered);
            }
            return null;
        });
    }

    private Future<Void> deleteAcks(io.vertx.sqlclient.SqlConnection tx, List<Acks> acks, Map<Acks, Integer> results,
            List<GroupDeliveries.Delivered> delivered) {
        if (acks.isEmpty()) {
            return Future.succeededFuture();
        }
        List<UUID> users = new ArrayList<>();
        List<Integer> devices = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        for (Acks a : acks) {
            for (Long seq : a.sequences()) {
                users.add(a.userId());
                devices.add(a.deviceId());
                sequences.add(seq);
            }
        }
        return store.deleteAcked(tx, users, devices, sequences).map(acked -> {
            delivered.addAll(acked.groupMessages());
            java.util.Set<String> gone = new java.util.HashSet<>(acked.deleted());
            for (Acks a : acks) {
                int count = (int) a.sequences().stream().filter(seq -> gone.contains(a.userId() + "/" + a.deviceId() + "/" + seq))
                        .count();
                results.put(a, count);
            }
            return null;
        });
    }

    private static void fail(Op op, Throwable cause) {
        if (op instanceof Send s) {
            s.result().tryFail(cause);
        } else if (op instanceof Delivery d) {
            d.result().tryFail(cause);
        } else if (op instanceof Acks a) {
            a.result().tryFail(cause);
        }
    }
}
