package io.parley.messaging;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.Envelope;
import io.parley.proto.GroupDeliveries;
import io.parley.proto.Receipt;
import io.parley.proto.SystemNotice;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The messaging verticle's SQL: batched inbox inserts (one statement per batch, arrays unnested),
 * batched acks, idempotency records, replay pages, expiry. Nothing else touches these tables.
 */
final class InboxStore {
    private static final String INSERT_SENT = "INSERT INTO sent_messages (sender_user, sender_device, client_message_id, "
            + "message_id, recipient, server_ts) SELECT * FROM UNNEST($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], "
            + "$5::uuid[], $6::int8[]) ON CONFLICT DO NOTHING RETURNING message_id";
    private static final String FIND_SENT = "SELECT s.sender_user, s.sender_device, s.client_message_id, s.message_id, "
            + "s.server_ts FROM sent_messages s JOIN UNNEST($1::uuid[], $2::int[], $3::uuid[]) AS k(u, d, c) "
            + "ON s.sender_user = k.u AND s.sender_device = k.d AND s.client_message_id = k.c";
    // Messages and edits take the conversation's disappearing timer, looked up in the same statement.
    private static final String INSERT_INBOX = "INSERT INTO inbox (user_id, device_id, message_id, sender_user, "
            + "sender_device, conversation_user, kind, content_type, content, refers_to, server_ts, expires_at, extra, body_id, group_id) "
            + "SELECT u.user_id, u.device_id, u.message_id, u.sender_user, u.sender_device, u.conversation_user, u.kind, "
            + "u.content_type, u.content, u.refers_to, u.server_ts, "
            + "CASE WHEN u.kind IN (0, 2) AND t.seconds IS NOT NULL THEN u.server_ts + t.seconds * 1000::int8 END, u.extra, "
            + "u.body_id, u.group_id FROM UNNEST($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], $5::int[], $6::uuid[], "
            + "$7::int2[], $8::int[], $9::bytea[], $10::uuid[], $11::int8[], $12::bytea[], $13::uuid[], $14::uuid[]) "
            + "WITH ORDINALITY AS u(user_id, device_id, message_id, sender_user, sender_device, conversation_user, kind, "
            + "content_type, content, refers_to, server_ts, extra, body_id, group_id, n) "
            + "LEFT JOIN conversation_timers t ON t.user_a = LEAST(u.user_id, u.conversation_user) "
            + "AND t.user_b = GREATEST(u.user_id, u.conversation_user) ORDER BY u.n "
            + "RETURNING user_id, device_id, message_id, seq, expires_at";
    private static final String DELETE_ACKED = "DELETE FROM inbox i USING UNNEST($1::uuid[], $2::int[], $3::int8[]) "
            + "AS a(u, d, s) WHERE i.user_id = a.u AND i.device_id = a.d AND i.seq = a.s "
            + "RETURNING i.user_id, i.device_id, i.seq, i.group_id, i.message_id, i.kind, i.sender_user";
    private static final String PAGE = "SELECT i.seq, i.message_id, i.sender_user, i.sender_device, i.conversation_user, "
            + "i.kind, i.content_type, COALESCE(i.content, b.content) AS content, i.refers_to, i.server_ts, i.expires_at, "
            + "i.extra, i.group_id FROM inbox i LEFT JOIN message_bodies b ON b.body_id = i.body_id WHERE i.user_id = $1 "
            + "AND i.device_id = $2 AND i.seq > $3 AND (i.expires_at IS NULL OR i.expires_at > $4) ORDER BY i.seq LIMIT $5";

    private static final long BODY_GRACE_MS = 60_000;

    private final Pool pool;

    InboxStore(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** An accepted send's idempotency record. */
    record SentRecord(UUID senderUser, int senderDevice, UUID clientMessageId, UUID messageId, UUID recipient,
            long serverTs) {
        String key() {
            return senderUser + "/" + senderDevice + "/" + clientMessageId;
        }
    }

    /** Records these sends; returns the message ids that are new (the others are retries). */
    Future<List<UUID>> insertSent(SqlConnection tx, List<SentRecord> sends) {
        int n = sends.size();
        UUID[] users = new UUID[n];
        Integer[] devices = new Integer[n];
        UUID[] clientIds = new UUID[n];
        UUID[] messageIds = new UUID[n];
        UUID[] recipients = new UUID[n];
        Long[] timestamps = new Long[n];
        for (int i = 0; i < n; i++) {
            SentRecord s = sends.get(i);
            users[i] = s.senderUser();
            devices[i] = s.senderDevice();
            clientIds[i] = s.clientMessageId();
            messageIds[i] = s.messageId();
            recipients[i] = s.recipient();
            timestamps[i] = s.serverTs();
        }
        return tx.preparedQuery(INSERT_SENT).execute(Tuple.of(users, devices, clientIds, messageIds, recipients, timestamps))
                .map(rows -> {
                    List<UUID> inserted = new ArrayList<>(rows.size());
                    rows.forEach(r -> inserted.add(r.getUUID(0)));
                    return inserted;
                });
    }

    /** The first results of sends already recorded, by {@link SentRecord#key()}. */
    Future<Map<String, SentRecord>> findSent(SqlConnection tx, List<SentRecord> sends) {
        UUID[] users = sends.stream().map(SentRecord::senderUser).toArray(UUID[]::new);
        Integer[] devices = sends.stream().map(SentRecord::senderDevice).toArray(Integer[]::new);
        UUID[] clientIds = sends.stream().map(SentRecord::clientMessageId).toArray(UUID[]::new);
        return tx.preparedQuery(FIND_SENT).execute(Tuple.of(users, devices, clientIds)).map(rows -> {
            Map<String, SentRecord> found = new HashMap<>();
            rows.forEach(r -> {
                SentRecord s = new SentRecord(r.getUUID(0), r.getInteger(1), r.getUUID(2), r.getUUID(3), null, r.getLong(4));
                found.put(s.key(), s);
            });
            return found;
        });
    }

    /** Inserts the rows in order; returns each row's envelope completed with its sequence and expiry. */
    Future<List<Envelope>> insertInbox(SqlConnection tx, List<InboxRow> rows) {
        int n = rows.size();
        UUID[] users = new UUID[n];
        Integer[] devices = new Integer[n];
        UUID[] messageIds = new UUID[n];
        UUID[] senders = new UUID[n];
        Integer[] senderDevices = new Integer[n];
        UUID[] conversations = new UUID[n];
        Short[] kinds = new Short[n];
        Integer[] contentTypes = new Integer[n];
        Buffer[] contents = new Buffer[n];
        UUID[] refersTo = new UUID[n];
        Long[] timestamps = new Long[n];
        Buffer[] extras = new Buffer[n];
        UUID[] bodies = new UUID[n];
        UUID[] groups = new UUID[n];
        for (int i = 0; i < n; i++) {
            InboxRow row = rows.get(i);
            Envelope e = row.envelope();
            users[i] = row.userId();
            devices[i] = row.deviceId();
            messageIds[i] = Ids.uuid(e.getMessageId(), "message_id");
            senders[i] = Ids.uuid(e.getSenderUser(), "sender_user");
            senderDevices[i] = e.getSenderDevice();
            conversations[i] = Ids.uuid(e.getConversationUser(), "conversation_user");
            kinds[i] = (short) e.getKindValue();
            contentTypes[i] = e.getContentType();
            bodies[i] = row.bodyId();
            groups[i] = e.getGroupId().isEmpty() ? null : Ids.uuid(e.getGroupId(), "group_id");
            contents[i] = row.bodyId() != null || e.getContent().isEmpty() ? null : Buffer.buffer(e.getContent().toByteArray());
            refersTo[i] = e.getRefersTo().isEmpty() ? null : Ids.uuid(e.getRefersTo(), "refers_to");
            timestamps[i] = e.getServerTimestampMs();
            extras[i] = extra(e);
        }
        return tx.preparedQuery(INSERT_INBOX).execute(Tuple.tuple(List.of(users, devices, messageIds, senders, senderDevices,
                        conversations, kinds, contentTypes, contents, refersTo, timestamps, extras, bodies, groups)))
                .map(result -> {
                    // RETURNING's order is not promised: match each row back by device and message.
                    Map<String, Row> byKey = new HashMap<>(n * 2);
                    result.forEach(r -> byKey.put(r.getUUID("user_id") + "/" + r.getInteger("device_id") + "/"
                            + r.getUUID("message_id"), r));
                    List<Envelope> stored = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        Row r = byKey.get(users[i] + "/" + devices[i] + "/" + messageIds[i]);
                        Envelope.Builder e = rows.get(i).envelope().toBuilder().setSequence(r.getLong("seq"));
                        Long expires = r.getLong("expires_at");
                        if (expires != null) {
                            e.setExpiresAtMs(expires);
                        }
                        stored.add(e.build());
                    }
                    return stored;
                });
    }

    /** Stores shared bodies (one per group message) before the rows that point at them. */
    Future<Void> insertBodies(SqlConnection tx, List<UUID> ids, List<ByteString> contents, long nowMs) {
        return tx.preparedQuery("INSERT INTO message_bodies (body_id, content, created_at) "
                        + "SELECT b, c, $3 FROM UNNEST($1::uuid[], $2::bytea[]) AS x(b, c)")
                .execute(Tuple.of(ids.toArray(UUID[]::new), contents.stream().map(c -> Buffer.buffer(c.toByteArray()))
                        .toArray(Buffer[]::new), nowMs)).mapEmpty();
    }

    /**
     * What acks deleted: "user/device/seq" of the rows that existed, and the group messages among them
     * that reached a member other than their sender (its own devices' copies do not count).
     */
    record Acked(List<String> deleted, List<GroupDeliveries.Delivered> groupMessages) {
    }

    /** Deletes acked rows. */
    Future<Acked> deleteAcked(SqlConnection tx, List<UUID> users, List<Integer> devices, List<Long> sequences) {
        return tx.preparedQuery(DELETE_ACKED).execute(Tuple.of(users.toArray(UUID[]::new), devices.toArray(Integer[]::new),
                sequences.toArray(Long[]::new))).map(rows -> {
                    List<String> deleted = new ArrayList<>(rows.size());
                    List<GroupDeliveries.Delivered> groupMessages = new ArrayList<>();
                    rows.forEach(r -> {
                        UUID user = r.getUUID(0);
                        deleted.add(user + "/" + r.getInteger(1) + "/" + r.getLong(2));
                        UUID group = r.getUUID(3);
                        if (group != null && r.getShort(5) == Envelope.Kind.MESSAGE_VALUE && !user.equals(r.getUUID(6))) {
                            groupMessages.add(GroupDeliveries.Delivered.newBuilder().setGroupId(Ids.bytes(group))
                                    .setUserId(Ids.bytes(user)).setMessageId(Ids.bytes(r.getUUID(4))).build());
                        }
                    });
                    return new Acked(deleted, groupMessages);
                });
    }

    Future<List<Envelope>> page(UUID userId, int deviceId, long afterSequence, int limit, long nowMs) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(userId, deviceId, afterSequence, nowMs, limit)).map(rows -> {
            List<Envelope> page = new ArrayList<>(rows.size());
            rows.forEach(r -> page.add(envelope(r)));
            return page;
        });
    }

    Future<Optional<SentRecord>> sentMessage(UUID messageId) {
        return pool.preparedQuery("SELECT sender_user, sender_device, client_message_id, message_id, recipient, server_ts "
                        + "FROM sent_messages WHERE message_id = $1").execute(Tuple.of(messageId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()).map(r ->
                        new SentRecord(r.getUUID(0), r.getInteger(1), r.getUUID(2), r.getUUID(3), r.getUUID(4), r.getLong(5))));
    }

    /** Removes the original's envelopes not yet delivered (delete for everyone). */
    Future<Integer> deletePending(UUID messageId) {
        return pool.preparedQuery("DELETE FROM inbox WHERE message_id = $1 AND kind IN (0, 2)").execute(Tuple.of(messageId))
                .map(r -> r.rowCount());
    }

    /** Sets a pair's timer; PostgreSQL orders the pair (Java's UUID order differs from PostgreSQL's). */
    Future<Void> setTimer(UUID a, UUID b, int seconds, long nowMs) {
        if (seconds == 0) {
            return pool.preparedQuery("DELETE FROM conversation_timers WHERE user_a = LEAST($1::uuid, $2::uuid) "
                    + "AND user_b = GREATEST($1::uuid, $2::uuid)").execute(Tuple.of(a, b)).mapEmpty();
        }
        return pool.preparedQuery("INSERT INTO conversation_timers (user_a, user_b, seconds, changed_at) "
                        + "VALUES (LEAST($1::uuid, $2::uuid), GREATEST($1::uuid, $2::uuid), $3, $4) "
                        + "ON CONFLICT (user_a, user_b) DO UPDATE SET seconds = $3, changed_at = $4")
                .execute(Tuple.of(a, b, seconds, nowMs)).mapEmpty();
    }

    /**
     * Deletes expired envelopes, send records past the delete-for-everyone window, and shared bodies
     * no row points at any more (older than a minute, so that none still being written is taken).
     */
    Future<int[]> sweep(long nowMs, long sentRetentionMs) {
        return pool.preparedQuery("DELETE FROM inbox WHERE expires_at < $1").execute(Tuple.of(nowMs))
                .compose(expired -> pool.preparedQuery("DELETE FROM sent_messages WHERE server_ts < $1")
                        .execute(Tuple.of(nowMs - sentRetentionMs))
                        .compose(old -> pool.preparedQuery("DELETE FROM message_bodies b WHERE b.created_at < $1 "
                                        + "AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.body_id = b.body_id)")
                                .execute(Tuple.of(nowMs - BODY_GRACE_MS))
                                .map(bodies -> new int[] {expired.rowCount(), old.rowCount(), bodies.rowCount()})));
    }

    /** Envelopes waiting in every inbox (a full count: run it on the sweep's schedule, not per request). */
    Future<Long> depth() {
        return pool.query("SELECT count(*) FROM inbox").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** Envelopes waiting per device: of one user's devices, or the {@code limit} deepest inboxes. */
    record Depth(UUID userId, int deviceId, long envelopes) {
    }

    Future<List<Depth>> depths(UUID userId, int limit) {
        Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> rows = userId != null
                ? pool.preparedQuery("SELECT user_id, device_id, count(*) FROM inbox WHERE user_id = $1 "
                        + "GROUP BY user_id, device_id ORDER BY device_id").execute(Tuple.of(userId))
                : pool.preparedQuery("SELECT user_id, device_id, count(*) AS n FROM inbox GROUP BY user_id, device_id "
                        + "ORDER BY n DESC LIMIT $1").execute(Tuple.of(limit));
        return rows.map(set -> {
            List<Depth> out = new ArrayList<>();
            set.forEach(r -> out.add(new Depth(r.getUUID(0), r.getInteger(1), r.getLong(2))));
            return out;
        });
    }

    private static Buffer extra(Envelope e) {
        if (e.hasReceipt()) {
            return Buffer.buffer(e.getReceipt().toByteArray());
        }
        if (e.hasNotice()) {
            return Buffer.buffer(e.getNotice().toByteArray());
        }
        return null;
    }

    private static Envelope envelope(Row r) {
        Envelope.Builder e = Envelope.newBuilder().setSequence(r.getLong("seq"))
                .setMessageId(Ids.bytes(r.getUUID("message_id")))
                .setSenderUser(Ids.bytes(r.getUUID("sender_user"))).setSenderDevice(r.getInteger("sender_device"))
                .setConversationUser(Ids.bytes(r.getUUID("conversation_user")))
                .setKindValue(r.getShort("kind")).setContentType(r.getInteger("content_type"))
                .setServerTimestampMs(r.getLong("server_ts"));
        Buffer content = r.getBuffer("content");
        if (content != null) {
            e.setContent(ByteString.copyFrom(content.getBytes()));
        }
        UUID refersTo = r.getUUID("refers_to");
        if (refersTo != null) {
            e.setRefersTo(Ids.bytes(refersTo));
        }
        Long expires = r.getLong("expires_at");
        if (expires != null) {
            e.setExpiresAtMs(expires);
        }
        UUID group = r.getUUID("group_id");
        if (group != null) {
            e.setGroupId(Ids.bytes(group));
        }
        Buffer extra = r.getBuffer("extra");
        if (extra != null) {
            try {
                if (e.getKind() == Envelope.Kind.RECEIPT) {
                    e.setReceipt(Receipt.parseFrom(extra.getBytes()));
                } else if (e.getKind() == Envelope.Kind.SYSTEM) {
                    e.setNotice(SystemNotice.parseFrom(extra.getBytes()));
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                throw new IllegalStateException("stored envelope detail is corrupt [seq: " + r.getLong("seq") + "]", ex);
            }
        }
        return e.build();
    }
}
