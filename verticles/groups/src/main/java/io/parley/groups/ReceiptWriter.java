package io.parley.groups;

import io.parley.bus.Ids;
import io.parley.proto.GroupDeliveries;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for receipts: a 1,024-member group answers each message with a thousand receipts
 * at once. One statement is in flight at a time; receipts that arrive meanwhile wait and leave
 * together in the next (up to a row limit), so an idle verticle adds no wait and a busy one writes
 * a burst in a few statements. Runs on its verticle's event loop only.
 */
final class ReceiptWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptWriter.class);
    private static final int MAX_BATCH_ROWS = 5_000;

    /** One member's receipt for some messages of a group, waiting to be written. */
    record Pending(UUID groupId, UUID user, UUID[] messageIds, boolean read, long at, Promise<Integer> applied) {
    }

    private final MessageStore store;
    private final Queue<Pending> queue = new ArrayDeque<>();
    private boolean writing;

    ReceiptWriter(MessageStore store) {
        this.store = store;
    }

    /** Completes with how many of these messages the receipt applied to, once written. */
    Future<Integer> write(UUID groupId, UUID user, UUID[] messageIds, boolean read, long at) {
        Promise<Integer> applied = Promise.promise();
        queue.add(new Pending(groupId, user, messageIds, read, at, applied));
        pump();
        return applied.future();
    }

    /**
     * Marks group messages delivered to the members whose devices acked them (messaging's word, after
     * its commit); nobody waits on these, and a failed write is logged like any other.
     */
    void delivered(GroupDeliveries deliveries) {
        for (GroupDeliveries.Delivered d : deliveries.getDeliveredList()) {
            queue.add(new Pending(Ids.uuid(d.getGroupId(), "group_id"), Ids.uuid(d.getUserId(), "user_id"),
                    new UUID[] {Ids.uuid(d.getMessageId(), "message_id")}, false, deliveries.getAtMs(), Promise.promise()));
        }
        pump();
    }

    private void pump() {
        if (writing || queue.isEmpty()) {
            return;
        }
        List<Pending> batch = new ArrayList<>();
        int rows = 0;
        while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peek().messageIds().length <= MAX_BATCH_ROWS)) {
            Pending next = queue.poll();
            rows += next.messageIds().length;
            batch.add(next);
        }
        writing = true;
        store.recordReceipts(batch).onComplete(done -> {
            writing = false;
            if (done.succeeded()) {
                Set<String> applied = done.result();
                batch.forEach(p -> {
                    int count = 0;
                    for (UUID id : p.messageIds()) {
                        count += applied.contains(p.user() + "/" + id) ? 1 : 0;
                    }
                    p.applied().complete(count);
                });
            } else {
                LOG.warn("group receipts not written [receipts: {}]: {}", batch.size(), done.cause().getMessage());
                batch.forEach(p -> p.applied().fail(done.cause()));
            }
            pump();
        });
    }
}
