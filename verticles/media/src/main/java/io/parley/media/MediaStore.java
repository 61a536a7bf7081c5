package io.parley.media;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.parley.proto.MediaKind;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The SQL of the media role: media_blobs, media_pins, media_url_keys (V23). */
final class MediaStore {
    private static final int SECRET_BYTES = 32;
    private static final int SWEEP_BATCH = 500;
    /** The tail of a blob-row DELETE named {@code gone}: queues the ids for their bytes' deletion ($2: now). */
    private static final String QUEUE_DELETIONS = "INSERT INTO media_deletions (blob_id, deleted_at) SELECT blob_id, $2 "
            + "FROM gone ON CONFLICT DO NOTHING RETURNING blob_id";

    private final Pool pool;

    MediaStore(Pool pool) {
        this.pool = pool;
    }

    /** The installation's URL key, made by the first node that asks. */
    Future<byte[]> urlKey() {
        byte[] fresh = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(fresh);
        return pool.preparedQuery("INSERT INTO media_url_keys (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(Buffer.buffer(fresh)))
                .compose(r -> pool.preparedQuery("SELECT secret FROM media_url_keys WHERE id = 1").execute())
                .map(rows -> rows.iterator().next().getBuffer("secret").getBytes());
    }

    Future<Void> reserve(BlobRow blob) {
        return pool.preparedQuery("INSERT INTO media_blobs (blob_id, owner, kind, size, digest, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(blob.blobId(), blob.owner(), (short) blob.kind().getNumber(), blob.size(),
                        Buffer.buffer(blob.digest()), blob.createdAt()))
                .mapEmpty();
    }

    Future<Optional<BlobRow>> find(UUID blobId) {
        return pool.preparedQuery("SELECT blob_id, owner, kind, size, digest, complete, created_at FROM media_blobs "
                        + "WHERE blob_id = $1").execute(Tuple.of(blobId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(row(rows.iterator().next())));
    }

    /** Marks an upload complete; false when the row is gone (swept or failed meanwhile). */
    Future<Boolean> complete(UUID blobId, long now) {
        return pool.preparedQuery("UPDATE media_blobs SET complete = true, completed_at = $2 WHERE blob_id = $1")
                .execute(Tuple.of(blobId, now)).map(r -> r.rowCount() == 1);
    }

    Future<Void> delete(UUID blobId) {
        return pool.preparedQuery("DELETE FROM media_blobs WHERE blob_id = $1").execute(Tuple.of(blobId)).mapEmpty();
    }

    Future<Void> pin(UUID blobId, String holder) {
        return pool.preparedQuery("INSERT INTO media_pins (blob_id, holder) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(blobId, holder)).mapEmpty();
    }

    /**
     * Drops a holder's pins and deletes the rows of its blobs that nothing else pins, queueing their
     * bytes for deletion; returns their ids.
     */
    Future<List<UUID>> release(String holder, long now) {
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM media_pins WHERE holder = $1 RETURNING blob_id")
                .execute(Tuple.of(holder))
                .compose(released -> {
                    List<UUID> ids = ids(released);
                    if (ids.isEmpty()) {
                        return Future.succeededFuture(List.<UUID>of());
                    }
                    return tx.preparedQuery("WITH gone AS (DELETE FROM media_blobs b WHERE b.blob_id = ANY($1) AND NOT EXISTS "
                                    + "(SELECT 1 FROM media_pins p WHERE p.blob_id = b.blob_id) RETURNING blob_id) "
                                    + QUEUE_DELETIONS)
                            .execute(Tuple.of(ids.toArray(UUID[]::new), now)).map(MediaStore::ids);
                }));
    }

    /** Blobs whose bytes are still to be deleted, oldest first, queued before {@code before}. */
    Future<List<UUID>> pendingDeletions(long before) {
        return pool.preparedQuery("SELECT blob_id FROM media_deletions WHERE deleted_at < $1 ORDER BY deleted_at LIMIT "
                + SWEEP_BATCH).execute(Tuple.of(before)).map(MediaStore::ids);
    }

    /** Forgets blobs whose bytes are gone. */
    Future<Void> deletionsDone(List<UUID> blobIds) {
        if (blobIds.isEmpty()) {
            return Future.succeededFuture();
        }
        return pool.preparedQuery("DELETE FROM media_deletions WHERE blob_id = ANY($1)")
                .execute(Tuple.of(blobIds.toArray(UUID[]::new))).mapEmpty();
    }

    /** Deletes incomplete uploads reserved before {@code uploadsBefore}; returns their ids. */
    Future<List<UUID>> sweepIncomplete(long uploadsBefore) {
        return pool.preparedQuery("DELETE FROM media_blobs WHERE blob_id IN (SELECT blob_id FROM media_blobs "
                        + "WHERE complete = false AND created_at < $1 ORDER BY created_at LIMIT " + SWEEP_BATCH
                        + ") RETURNING blob_id")
                .execute(Tuple.of(uploadsBefore)).map(MediaStore::ids);
    }

    /** Deletes complete blobs made before {@code before} that nothing pins, queueing their bytes; returns their ids. */
    Future<List<UUID>> sweepUnreferenced(long before, long now) {
        return pool.preparedQuery("WITH gone AS (DELETE FROM media_blobs WHERE blob_id IN (SELECT b.blob_id FROM media_blobs b "
                        + "WHERE b.complete = true AND b.created_at < $1 AND NOT EXISTS "
                        + "(SELECT 1 FROM media_pins p WHERE p.blob_id = b.blob_id) ORDER BY b.created_at LIMIT "
                        + SWEEP_BATCH + ") RETURNING blob_id) " + QUEUE_DELETIONS)
                .execute(Tuple.of(before, now)).map(MediaStore::ids);
    }

    private static List<UUID> ids(RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getUUID("blob_id")));
        return ids;
    }

    private static BlobRow row(Row r) {
        return new BlobRow(r.getUUID("blob_id"), r.getUUID("owner"), MediaKind.forNumber(r.getShort("kind")),
                r.getLong("size"), r.getBuffer("digest").getBytes(), r.getBoolean("complete"), r.getLong("created_at"));
    }
}
