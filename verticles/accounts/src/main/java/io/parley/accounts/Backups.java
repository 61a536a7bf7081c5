package io.parley.accounts;

import com.google.protobuf.ByteString;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.BackupBlob;
import io.parley.proto.BackupGet;
import io.parley.proto.BackupInfo;
import io.parley.proto.BackupPut;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Each account's encrypted backup (table backups): stored, fetched and deleted as one opaque
 * blob. The caller (the node's /v1/backup API) has authenticated the device; the size cap is
 * checked here too, so that no path stores more than the configured limit.
 */
final class Backups {
    private final Pool pool;
    private final int maxBytes;

    Backups(Pool pool, int maxBytes) {
        this.pool = pool;
        this.maxBytes = maxBytes;
    }

    Future<BackupInfo> put(BackupPut request) {
        UUID userId = Ids.uuid(request.getUserId(), "user_id");
        int size = request.getBlob().size();
        if (size == 0) {
            throw Failure.BAD_REQUEST.exception("a backup must not be empty");
        }
        if (size > maxBytes) {
            throw Failure.TOO_LARGE.exception("a backup of " + size + " bytes is over the limit of " + maxBytes);
        }
        return pool.preparedQuery("INSERT INTO backups (user_id, device_id, blob) SELECT $1, $2, $3 "
                        + "WHERE EXISTS (SELECT 1 FROM accounts WHERE user_id = $1 AND NOT disabled) "
                        + "ON CONFLICT (user_id) DO UPDATE SET device_id = $2, blob = $3, updated_at = now() "
                        + "RETURNING updated_at")
                .execute(Tuple.of(userId, request.getDeviceId(), Buffer.buffer(request.getBlob().toByteArray())))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.NOT_FOUND.exception("no such account");
                    }
                    return BackupInfo.newBuilder().setBytes(size)
                            .setUpdatedMs(rows.iterator().next().getOffsetDateTime(0).toInstant().toEpochMilli()).build();
                });
    }

    Future<com.google.protobuf.Message> get(BackupGet request) {
        UUID userId = Ids.uuid(request.getUserId(), "user_id");
        if (request.getDelete()) {
            return pool.preparedQuery("DELETE FROM backups WHERE user_id = $1 RETURNING length(blob), updated_at")
                    .execute(Tuple.of(userId)).map(rows -> {
                        if (rows.size() == 0) {
                            throw Failure.NOT_FOUND.exception("this account has no backup");
                        }
                        Row r = rows.iterator().next();
                        return BackupInfo.newBuilder().setBytes(r.getInteger(0))
                                .setUpdatedMs(r.getOffsetDateTime(1).toInstant().toEpochMilli()).build();
                    });
        }
        return pool.preparedQuery("SELECT blob, device_id, updated_at FROM backups WHERE user_id = $1")
                .execute(Tuple.of(userId)).map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.NOT_FOUND.exception("this account has no backup");
                    }
                    Row r = rows.iterator().next();
                    return BackupBlob.newBuilder().setBlob(ByteString.copyFrom(r.getBuffer(0).getBytes()))
                            .setDeviceId(r.getInteger(1)).setUpdatedMs(r.getOffsetDateTime(2).toInstant().toEpochMilli())
                            .build();
                });
    }
}
