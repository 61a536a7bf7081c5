package io.parley.calls;

import io.parley.bus.Ids;
import io.parley.proto.CallOutcome;
import io.parley.proto.CallRecord;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The calls role's SQL: {@code call_history} (V20), one row per user per call, written when it ends. */
final class CallHistoryStore {
    private static final String INSERT = "INSERT INTO call_history (user_id, call_id, peer_user, outgoing, video, "
            + "group_call, started_at, answered_at, ended_at, duration_ms, outcome) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (user_id, call_id) DO NOTHING";
    private static final String PAGE = "SELECT call_id, peer_user, outgoing, video, group_call, started_at, answered_at, "
            + "ended_at, duration_ms, outcome FROM call_history WHERE user_id = $1 AND started_at < $2 "
            + "ORDER BY started_at DESC, call_id LIMIT $3";
    private static final String SWEEP = "DELETE FROM call_history WHERE ended_at < $1";

    /** One user's row of a finished call. {@code answeredAt} 0: never answered. */
    record Entry(UUID user, UUID call, UUID peer, boolean outgoing, boolean video, boolean group, long startedAt,
            long answeredAt, long endedAt, CallOutcome outcome) {
        long durationMs() {
            return answeredAt == 0 ? 0 : Math.max(0, endedAt - answeredAt);
        }
    }

    private final Pool pool;

    CallHistoryStore(Pool pool) {
        this.pool = pool;
    }

    /** Writes the rows in one batch; a row already written (another instance ended the same call) is kept. */
    Future<Void> record(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            rows.add(Tuple.from(new Object[] {e.user(), e.call(), e.peer(), e.outgoing(), e.video(), e.group(),
                    e.startedAt(), e.answeredAt() == 0 ? null : e.answeredAt(), e.endedAt(), e.durationMs(),
                    (short) e.outcome().getNumber()}));
        }
        return pool.preparedQuery(INSERT).executeBatch(rows).mapEmpty();
    }

    Future<List<CallRecord>> page(UUID user, long before, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(user, before, limit)).map(rows -> {
            List<CallRecord> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                Long answered = r.getLong("answered_at");
                out.add(CallRecord.newBuilder().setCallId(Ids.bytes(r.getUUID("call_id")))
                        .setPeerUser(Ids.bytes(r.getUUID("peer_user"))).setOutgoing(r.getBoolean("outgoing"))
                        .setVideo(r.getBoolean("video")).setGroup(r.getBoolean("group_call"))
                        .setStartedAtMs(r.getLong("started_at")).setAnsweredAtMs(answered == null ? 0 : answered)
                        .setEndedAtMs(r.getLong("ended_at")).setDurationMs(r.getLong("duration_ms"))
                        .setOutcome(CallOutcome.forNumber(r.getShort("outcome"))).build());
            }
            return out;
        });
    }

    /** Deletes rows of calls that ended before {@code cutoff}; returns how many. */
    Future<Integer> sweep(long cutoff) {
        return pool.preparedQuery(SWEEP).execute(Tuple.of(cutoff)).map(r -> r.rowCount());
    }
}
