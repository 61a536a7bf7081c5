package io.parley.groups;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;

/** The SQL of group messages sent and their per-member receipts (V14__group_receipts.sql). */
final class MessageStore {
    record SentMessage(UUID messageId, UUID groupId, UUID senderUser, int senderDevice, long sentAt) {
    }

    record Times(Long deliveredAt, Long readAt) {
    }

    private final Pool pool;

    MessageStore(Pool pool) {
        this.pool = pool;
    }

    Future<Void> recordSent(SentMessage m) {
        return pool.preparedQuery("INSERT INTO group_messages (message_id, group_id, sender_user, sender_device, sent_at) "
                        + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(m.messageId(), m.groupId(), m.senderUser(), m.senderDevice(), m.sentAt())).mapEmpty();
    }

    Future<Optional<SentMessage>> sent(UUID messageId) {
        return pool.preparedQuery("SELECT message_id, group_id, sender_user, sender_device, sent_at FROM group_messages "
                        + "WHERE message_id = $1").execute(Tuple.of(messageId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()).map(r ->
                        new SentMessage(r.getUUID(0), r.getUUID(1), r.getUUID(2), r.getInteger(3), r.getLong(4))));
    }

    /**
     * Records receipts of many members at once (one statement for a whole batch): that each got
     * (and, when {@code read}, read) these messages of its group; the first time of each stays.
     * Messages of other groups, a member's own, and receipts of users who are no members are
     * ignored. Returns "user/message" of every receipt that applied.
     */
    Future<Set<String>> recordReceipts(List<ReceiptWriter.Pending> batch) {
        List<UUID> groups = new ArrayList<>();
        List<UUID> users = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<Boolean> reads = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (ReceiptWriter.Pending p : batch) {
            for (UUID id : p.messageIds()) {
                groups.add(p.groupId());
                users.add(p.user());
                ids.add(id);
                reads.add(p.read());
                times.add(p.at());
            }
        }
        // The membership check is a scalar subquery, a primary-key lookup per receipt whatever the
        // statistics say: as an EXISTS, PostgreSQL made it a semi-join and, before the first ANALYZE of
        // group_members (a new node, a new big group), scanned the group's whole member list per row
        // (55 ms for 56 receipts in a 1,024-member group; 2 ms as written here).
        return pool.preparedQuery("INSERT INTO group_receipts (message_id, user_id, delivered_at, read_at) "
                        + "SELECT DISTINCT ON (m.message_id, x.u) m.message_id, x.u, x.t, CASE WHEN x.r THEN x.t END "
                        + "FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::bool[], $5::int8[]) AS x(g, u, mid, r, t) "
                        + "JOIN group_messages m ON m.message_id = x.mid AND m.group_id = x.g AND m.sender_user <> x.u "
                        + "WHERE (SELECT true FROM group_members gm WHERE gm.group_id = x.g AND gm.user_id = x.u) "
                        + "ORDER BY m.message_id, x.u, x.r DESC "
                        + "ON CONFLICT (message_id, user_id) DO UPDATE SET "
                        + "delivered_at = COALESCE(group_receipts.delivered_at, EXCLUDED.delivered_at), "
                        + "read_at = COALESCE(group_receipts.read_at, EXCLUDED.read_at) RETURNING user_id, message_id")
                .execute(Tuple.of(groups.toArray(UUID[]::new), users.toArray(UUID[]::new), ids.toArray(UUID[]::new),
                        reads.toArray(Boolean[]::new), times.toArray(Long[]::new)))
                .map(rows -> {
                    Set<String> applied = new HashSet<>();
                    rows.forEach(r -> applied.add(r.getUUID(0) + "/" + r.getUUID(1)));
                    return applied;
                });
    }

    Future<Map<UUID, Times>> receipts(UUID messageId) {
        return pool.preparedQuery("SELECT user_id, delivered_at, read_at FROM group_receipts WHERE message_id = $1")
                .execute(Tuple.of(messageId)).map(rows -> {
                    Map<UUID, Times> times = new HashMap<>();
                    rows.forEach(r -> times.put(r.getUUID(0), new Times(r.getLong(1), r.getLong(2))));
                    return times;
                });
    }

    /** Deletes records of group messages sent before this time (their receipts go with them). */
    Future<Integer> sweep(long before) {
        return pool.preparedQuery("DELETE FROM group_messages WHERE sent_at < $1").execute(Tuple.of(before))
                .map(r -> r.rowCount());
    }
}
