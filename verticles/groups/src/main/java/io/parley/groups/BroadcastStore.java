package io.parley.groups;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The SQL of broadcast lists and their recipients (V15__broadcast_lists.sql). */
final class BroadcastStore {
    record ListRow(UUID listId, UUID owner, String name, long createdAt, List<UUID> recipients) {
    }

    private final Pool pool;

    BroadcastStore(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    Future<Void> insertList(SqlConnection tx, UUID listId, UUID owner, String name, long now) {
        return tx.preparedQuery("INSERT INTO broadcast_lists (list_id, owner, name, created_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(listId, owner, name, now)).mapEmpty();
    }

    /** The list, locked for the transaction; empty when it does not exist. */
    Future<Optional<ListRow>> lock(SqlConnection tx, UUID listId) {
        return tx.preparedQuery("SELECT list_id, owner, name, created_at FROM broadcast_lists WHERE list_id = $1 FOR UPDATE")
                .execute(Tuple.of(listId)).compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.empty())
                        : recipients(tx, listId).map(users -> {
                            var r = rows.iterator().next();
                            return Optional.of(new ListRow(r.getUUID(0), r.getUUID(1), r.getString(2), r.getLong(3), users));
                        }));
    }

    Future<Void> insertRecipients(SqlConnection tx, UUID listId, List<UUID> users, long now) {
        return tx.preparedQuery("INSERT INTO broadcast_recipients (list_id, user_id, added_at) "
                        + "SELECT $1, u, $3 FROM UNNEST($2::uuid[]) WITH ORDINALITY AS x(u, n) ORDER BY n "
                        + "ON CONFLICT DO NOTHING")
                .execute(Tuple.of(listId, users.toArray(UUID[]::new), now)).mapEmpty();
    }

    Future<List<UUID>> recipients(SqlConnection tx, UUID listId) {
        return tx.preparedQuery("SELECT user_id FROM broadcast_recipients WHERE list_id = $1 ORDER BY seq")
                .execute(Tuple.of(listId)).map(rows -> {
                    List<UUID> users = new ArrayList<>(rows.size());
                    rows.forEach(r -> users.add(r.getUUID(0)));
                    return users;
                });
    }

    /** The owner's lists with their recipients. */
    Future<List<ListRow>> listsOf(UUID owner) {
        return pool.preparedQuery("SELECT l.list_id, l.owner, l.name, l.created_at, r.user_id FROM broadcast_lists l "
                        + "LEFT JOIN broadcast_recipients r ON r.list_id = l.list_id WHERE l.owner = $1 "
                        + "ORDER BY l.created_at, l.list_id, r.seq")
                .execute(Tuple.of(owner)).map(rows -> {
                    Map<UUID, ListRow> lists = new LinkedHashMap<>();
                    rows.forEach(r -> {
                        ListRow list = lists.computeIfAbsent(r.getUUID(0), id -> new ListRow(id, r.getUUID(1), r.getString(2),
                                r.getLong(3), new ArrayList<>()));
                        if (r.getUUID(4) != null) {
                            list.recipients().add(r.getUUID(4));
                        }
                    });
                    return new ArrayList<>(lists.values());
                });
    }
}
