package io.parley.groups;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The groups verticle's SQL for groups, members, invite links, join requests and the notice
 * outbox (V13__groups.sql). Membership changes run in a transaction that first locks the group row.
 */
final class GroupStore {
    private static final String GROUP_COLUMNS = "group_id, subject, description, avatar_ref, announcement_only, "
            + "info_editors, created_by, created_at, revision";

    /** A group's row. */
    record GroupRow(UUID id, String subject, String description, String avatarRef, boolean announcementOnly,
            int infoEditors, UUID createdBy, long createdAt, long revision) {
        GroupRow withRevision(long next) {
            return new GroupRow(id, subject, description, avatarRef, announcementOnly, infoEditors, createdBy, createdAt, next);
        }
    }

    record MemberRow(UUID userId, boolean admin, long joinedAt) {
    }

    record InviteRow(String code, UUID groupId, boolean approvalRequired, long expiresAt, Long revokedAt) {
    }

    record JoinRequestRow(UUID userId, long requestedAt) {
    }

    /** A notice waiting in the outbox. */
    record OutboxRow(UUID noticeId, UUID groupId, UUID actor, int actorDevice, List<UUID> recipients, byte[] content,
            long createdAt) {
    }

    private final Pool pool;

    GroupStore(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    Future<Void> insertGroup(SqlConnection tx, GroupRow g) {
        return tx.preparedQuery("INSERT INTO groups (" + GROUP_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(List.of(g.id(), g.subject(), g.description(), g.avatarRef(), g.announcementOnly(),
                        (short) g.infoEditors(), g.createdBy(), g.createdAt(), g.revision())))
                .mapEmpty();
    }

    /** The group and its members in join order, the group row locked until the transaction ends. */
    Future<Optional<GroupState>> lock(SqlConnection tx, UUID groupId) {
        return state(tx, groupId, " FOR UPDATE");
    }

    /** The group and its members, unlocked. */
    Future<Optional<GroupState>> state(UUID groupId) {
        return state(pool, groupId, "");
    }

    private Future<Optional<GroupState>> state(SqlClient client, UUID groupId, String lock) {
        return client.preparedQuery("SELECT " + GROUP_COLUMNS + " FROM groups WHERE group_id = $1" + lock)
                .execute(Tuple.of(groupId)).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    GroupRow group = group(rows.iterator().next());
                    return client.preparedQuery("SELECT user_id, admin, joined_at FROM group_members WHERE group_id = $1 "
                                    + "ORDER BY joined_seq").execute(Tuple.of(groupId))
                            .map(members -> Optional.of(new GroupState(group, memberRows(members))));
                });
    }

    /** Whether the group exists and whether the user is a member, in one look-up (receipts use no more). */
    Future<boolean[]> membership(UUID groupId, UUID user) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM groups WHERE group_id = $1), "
                        + "EXISTS (SELECT 1 FROM group_members WHERE group_id = $1 AND user_id = $2)")
                .execute(Tuple.of(groupId, user))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new boolean[] {r.getBoolean(0), r.getBoolean(1)};
                });
    }

    /** Adds these users (admin or not); returns those who were not members already, in the given order. */
    Future<List<UUID>> insertMembers(SqlConnection tx, UUID groupId, List<UUID> users, boolean admin, long now) {
        return tx.preparedQuery("INSERT INTO group_members (group_id, user_id, admin, joined_at) "
                        + "SELECT $1, u, $3, $4 FROM UNNEST($2::uuid[]) WITH ORDINALITY AS x(u, n) ORDER BY n "
                        + "ON CONFLICT DO NOTHING RETURNING user_id")
                .execute(Tuple.of(groupId, users.toArray(UUID[]::new), admin, now))
                .map(rows -> {
                    List<UUID> added = new ArrayList<>();
                    rows.forEach(r -> added.add(r.getUUID(0)));
                    return users.stream().filter(added::contains).toList();
                });
    }

    Future<List<UUID>> deleteMembers(SqlConnection tx, UUID groupId, List<UUID> users) {
        return tx.preparedQuery("DELETE FROM group_members WHERE group_id = $1 AND user_id = ANY($2) RETURNING user_id")
                .execute(Tuple.of(groupId, (Object) users.toArray(UUID[]::new))).map(GroupStore::uuids);
    }

    /** Sets the admin flag of these members; returns those whose flag changed. */
    Future<List<UUID>> setAdmin(SqlConnection tx, UUID groupId, List<UUID> users, boolean admin) {
        return tx.preparedQuery("UPDATE group_members SET admin = $3 WHERE group_id = $1 AND user_id = ANY($2) "
                        + "AND admin <> $3 RETURNING user_id")
                .execute(Tuple.of(groupId, users.toArray(UUID[]::new), admin)).map(GroupStore::uuids);
    }

    /** Writes info, settings and revision of the group. */
    Future<Void> updateGroup(SqlConnection tx, GroupRow g) {
        return tx.preparedQuery("UPDATE groups SET subject = $2, description = $3, avatar_ref = $4, announcement_only = $5, "
                        + "info_editors = $6, revision = $7 WHERE group_id = $1")
                .execute(Tuple.from(List.of(g.id(), g.subject(), g.description(), g.avatarRef(), g.announcementOnly(),
                        (short) g.infoEditors(), g.revision())))
                .mapEmpty();
    }

    Future<Void> deleteGroup(SqlConnection tx, UUID groupId) {
        return tx.preparedQuery("DELETE FROM groups WHERE group_id = $1").execute(Tuple.of(groupId)).mapEmpty();
    }

    Future<List<UUID>> groupsOf(UUID user) {
        return pool.preparedQuery("SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY joined_seq")
                .execute(Tuple.of(user)).map(GroupStore::uuids);
    }

    Future<Void> revokeInvites(SqlConnection tx, UUID groupId, long now) {
        return tx.preparedQuery("UPDATE group_invites SET revoked_at = $2 WHERE group_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(groupId, now)).mapEmpty();
    }

    Future<Void> insertInvite(SqlConnection tx, InviteRow invite, UUID createdBy) {
        return tx.preparedQuery("INSERT INTO group_invites (code, group_id, created_by, approval_required, expires_at) "
                        + "VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(invite.code(), invite.groupId(), createdBy, invite.approvalRequired(), invite.expiresAt()))
                .mapEmpty();
    }

    Future<Optional<InviteRow>> invite(String code) {
        return pool.preparedQuery("SELECT code, group_id, approval_required, expires_at, revoked_at FROM group_invites "
                        + "WHERE code = $1").execute(Tuple.of(code))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()).map(r ->
                        new InviteRow(r.getString(0), r.getUUID(1), r.getBoolean(2), r.getLong(3), r.getLong(4))));
    }

    /** Records a join request; false when the user asked already. */
    Future<Boolean> insertJoinRequest(SqlConnection tx, UUID groupId, UUID user, long now) {
        return tx.preparedQuery("INSERT INTO group_join_requests (group_id, user_id, requested_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT DO NOTHING").execute(Tuple.of(groupId, user, now)).map(r -> r.rowCount() == 1);
    }

    Future<Boolean> deleteJoinRequest(SqlConnection tx, UUID groupId, UUID user) {
        return tx.preparedQuery("DELETE FROM group_join_requests WHERE group_id = $1 AND user_id = $2")
                .execute(Tuple.of(groupId, user)).map(r -> r.rowCount() == 1);
    }

    Future<List<JoinRequestRow>> joinRequests(UUID groupId) {
        return pool.preparedQuery("SELECT user_id, requested_at FROM group_join_requests WHERE group_id = $1 "
                        + "ORDER BY requested_at, user_id").execute(Tuple.of(groupId))
                .map(rows -> {
                    List<JoinRequestRow> pending = new ArrayList<>();
                    rows.forEach(r -> pending.add(new JoinRequestRow(r.getUUID(0), r.getLong(1))));
                    return pending;
                });
    }

    Future<Void> insertOutbox(SqlConnection tx, OutboxRow n) {
        return tx.preparedQuery("INSERT INTO group_outbox (notice_id, group_id, actor, actor_device, recipients, content, "
                        + "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.from(List.of(n.noticeId(), n.groupId(), n.actor(), n.actorDevice(),
                        n.recipients().toArray(UUID[]::new), Buffer.buffer(n.content()), n.createdAt())))
                .mapEmpty();
    }

    Future<Void> deleteOutbox(UUID noticeId) {
        return pool.preparedQuery("DELETE FROM group_outbox WHERE notice_id = $1").execute(Tuple.of(noticeId)).mapEmpty();
    }

    /** Notices written before {@code before} and still undelivered, oldest first. */
    Future<List<OutboxRow>> staleOutbox(long before, int limit) {
        return pool.preparedQuery("SELECT notice_id, group_id, actor, actor_device, recipients, content, created_at "
                        + "FROM group_outbox WHERE created_at < $1 ORDER BY created_at LIMIT $2")
                .execute(Tuple.of(before, limit)).map(rows -> {
                    List<OutboxRow> stale = new ArrayList<>();
                    rows.forEach(r -> stale.add(new OutboxRow(r.getUUID(0), r.getUUID(1), r.getUUID(2), r.getInteger(3),
                            Arrays.asList(r.getArrayOfUUIDs(4)), r.getBuffer(5).getBytes(), r.getLong(6))));
                    return stale;
                });
    }

    private static GroupRow group(Row r) {
        return new GroupRow(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4), r.getShort(5),
                r.getUUID(6), r.getLong(7), r.getLong(8));
    }

    private static List<MemberRow> memberRows(RowSet<Row> rows) {
        List<MemberRow> members = new ArrayList<>(rows.size());
        rows.forEach(r -> members.add(new MemberRow(r.getUUID(0), r.getBoolean(1), r.getLong(2))));
        return members;
    }

    private static List<UUID> uuids(RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>(rows.size());
        rows.forEach(r -> ids.add(r.getUUID(0)));
        return ids;
    }
}
