package io.parley.groups;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
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
     * Records that this member got (and, when {@code read}, read) these messages of the group; the
     * first time of each stays. Messages of other groups and the member's own are ignored, and so
     * is everything when the user is no member. Returns how many messages the receipt applied to.
     */
    Future<Integer> recordReceipts(UUID groupId, UUID member, UUID[] messageIds, boolean read, long now) {
        return pool.preparedQuery("INSERT INTO group_receipts (message_id, user_id, delivered_at, read_at) "
                        + "SELECT m.message_id, $2, $4, CASE WHEN $5 THEN $4::int8 END FROM group_messages m "
                        + "WHERE m.message_id = ANY($3) AND m.group_id = $1 AND m.sender_user <> $2 "
                        + "AND EXISTS (SELECT 1 FROM group_members g WHERE g.group_id = $1 AND g.user_id = $2) "
                        + "ON CONFLICT (message_id, user_id) DO UPDATE SET "
                        + "delivered_at = COALESCE(group_receipts.delivered_at, EXCLUDED.delivered_at), "
                        + "read_at = COALESCE(group_receipts.read_at, EXCLUDED.read_at)")
                .execute(Tuple.of(groupId, member, messageIds, now, read)).map(r -> r.rowCount());
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
